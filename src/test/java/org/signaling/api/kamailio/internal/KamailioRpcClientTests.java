package org.signaling.api.kamailio.internal;

import java.nio.charset.StandardCharsets;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.signaling.api.kamailio.internal.KamailioRpcException.Kind;
import tools.jackson.databind.JsonNode;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The JSON-RPC client against WireMock serving real Kamailio 5.6.3 answers, faults and misbehaviour. */
class KamailioRpcClientTests {

	@RegisterExtension
	static WireMockExtension kamailio = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private KamailioRpcClient client;

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@BeforeEach
	void setUp() {
		client = KamailioTestSupport.client(KamailioTestSupport.properties(kamailio.baseUrl() + "/RPC"), meters);
	}

	@Test
	void everyRpcIsTimedByMethodAndOutcome() {
		kamailio.stubFor(post("/RPC").willReturn(okJson("dlg.end_dlg-ok.json")));
		client.call("dlg.end_dlg", 4021, 4239);
		kamailio.stubFor(post("/RPC").willReturn(okJson("error-dlg.end_dlg-not-found.json")));
		assertThatThrownBy(() -> client.call("dlg.end_dlg", 1, 2)).isInstanceOf(KamailioRpcException.class);

		assertThat(meters.get("signaling.kamailio.rpc").tags("method", "dlg.end_dlg", "outcome", "ok").timer().count())
			.isOne();
		assertThat(meters.get("signaling.kamailio.rpc").tags("method", "dlg.end_dlg", "outcome", "fault").timer()
			.count()).isOne();
	}

	@Test
	void sendsJsonRpc2RequestAndReturnsTheResult() {
		kamailio.stubFor(post("/RPC").willReturn(okJson("ul.dump-two-registered.json")));

		JsonNode result = client.call("ul.dump");

		assertThat(result.path("Domains").get(0).path("Domain").path("AoRs").size()).isEqualTo(2);
		kamailio.verify(postRequestedFor(urlEqualTo("/RPC")).withHeader("Content-Type", equalTo("application/json"))
			.withRequestBody(equalToJson(
					"{\"jsonrpc\":\"2.0\",\"method\":\"ul.dump\",\"id\":\"${json-unit.any-number}\"}")));
	}

	@Test
	void sendsParametersInOrderKeepingNumbersNumbers() {
		// dlg.end_dlg only finds the dialog when h_entry/h_id are JSON numbers (strings give 404 Dialog not found).
		kamailio.stubFor(post("/RPC").willReturn(okJson("dlg.end_dlg-ok.json")));

		client.call("dlg.end_dlg", 4021, 4239);

		kamailio.verify(postRequestedFor(urlEqualTo("/RPC")).withRequestBody(equalToJson(
				"{\"jsonrpc\":\"2.0\",\"method\":\"dlg.end_dlg\",\"params\":[4021,4239],"
						+ "\"id\":\"${json-unit.any-number}\"}")));
	}

	@Test
	void readsKamailioFaultFromTheBodyOfANon2xxAnswer() {
		kamailio.stubFor(post("/RPC").willReturn(aResponse().withStatus(500)
			.withStatusMessage("Method Not Found")
			.withHeader("Content-Type", "application/json")
			.withBody(KamailioFixtures.body("error-method-not-found.json"))));

		KamailioRpcException failure = catchThrowableOfType(KamailioRpcException.class,
				() -> client.call("no.such.method"));

		assertThat(failure.kind()).isEqualTo(Kind.FAULT);
		assertThat(failure.faultCode()).isEqualTo(500);
		assertThat(failure.getMessage()).contains("Method Not Found");
	}

	@Test
	void bytesThatAreNotUtf8InAnAnswerSpoilOneValueNotTheWholeAnswer() {
		// Kamailio copies header bytes into its JSON as they came: 0xFF, or a lone 0xC3, in a Call-ID or a From user.
		byte[] body = ("{\"jsonrpc\":\"2.0\",\"result\":[{\"call-id\":\"a\u00ff\",\"from_uri\":\"sip:X\u00c3@h\"}],"
				+ "\"id\":1}")
			.getBytes(StandardCharsets.ISO_8859_1);
		kamailio.stubFor(post("/RPC").willReturn(aResponse().withHeader("Content-Type", "application/json")
			.withBody(body)));

		JsonNode result = client.call("dlg.list");

		assertThat(result.get(0).path("call-id").asString()).isEqualTo("a\ufffd");
		assertThat(result.get(0).path("from_uri").asString()).isEqualTo("sip:X\ufffd@h");
	}

	@Test
	void givesUpAfterReadTimeoutWhenKamailioSendsNothing() {
		// Kamailio sends no reply at all to a request it cannot parse; only the read timeout ends the wait.
		kamailio.stubFor(post("/RPC").willReturn(okJson("core.version.json").withFixedDelay(2_500)));

		KamailioRpcException failure = catchThrowableOfType(KamailioRpcException.class,
				() -> client.call("core.version"));

		assertThat(failure.kind()).isEqualTo(Kind.UNREACHABLE);
	}

	@Test
	void reportsUnreachableWhenConnectionIsReset() {
		kamailio.stubFor(post("/RPC").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

		KamailioRpcException failure = catchThrowableOfType(KamailioRpcException.class, () -> client.call("ul.dump"));

		assertThat(failure.kind()).isEqualTo(Kind.UNREACHABLE);
	}

	@Test
	void reportsUnreachableWhenNothingListens() {
		KamailioRpcClient nobody = KamailioTestSupport.client(KamailioTestSupport.properties("http://127.0.0.1:9/RPC"));

		KamailioRpcException failure = catchThrowableOfType(KamailioRpcException.class, () -> nobody.call("ul.dump"));

		assertThat(failure.kind()).isEqualTo(Kind.UNREACHABLE);
	}

	@Test
	void rejectsGarbage() {
		kamailio.stubFor(post("/RPC").willReturn(aResponse().withStatus(200).withBody("<html>proxy error</html>")));

		KamailioRpcException failure = catchThrowableOfType(KamailioRpcException.class, () -> client.call("ul.dump"));

		assertThat(failure.kind()).isEqualTo(Kind.PROTOCOL);
	}

	@Test
	void rejectsMalformedChunkedAnswer() {
		kamailio.stubFor(post("/RPC").willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));

		KamailioRpcException failure = catchThrowableOfType(KamailioRpcException.class, () -> client.call("ul.dump"));

		assertThat(failure.kind()).isIn(Kind.UNREACHABLE, Kind.PROTOCOL);
	}

	@Test
	void rejectsJsonThatIsNotAJsonRpcResponse() {
		kamailio.stubFor(post("/RPC")
			.willReturn(aResponse().withStatus(200).withBody("{\"jsonrpc\":\"2.0\",\"id\":1}")));

		KamailioRpcException failure = catchThrowableOfType(KamailioRpcException.class, () -> client.call("ul.dump"));

		assertThat(failure.kind()).isEqualTo(Kind.PROTOCOL);
	}

	@Test
	void rejectsEmptyAnswer() {
		kamailio.stubFor(post("/RPC").willReturn(aResponse().withStatus(200)));

		KamailioRpcException failure = catchThrowableOfType(KamailioRpcException.class, () -> client.call("ul.dump"));

		assertThat(failure.kind()).isEqualTo(Kind.PROTOCOL);
	}

	static ResponseDefinitionBuilder okJson(String fixture) {
		return aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withBody(KamailioFixtures.body(fixture));
	}

}
