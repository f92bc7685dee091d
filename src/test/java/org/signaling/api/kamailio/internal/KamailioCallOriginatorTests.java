package org.signaling.api.kamailio.internal;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.signaling.api.call.OriginateCommand;
import org.signaling.api.kamailio.KamailioProperties;
import org.signaling.api.shared.BackendUnavailableException;
import tools.jackson.databind.JsonNode;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Click-to-dial's one request, dlg.bridge_dlg, against WireMock serving Kamailio 5.6.3's real answers. */
class KamailioCallOriginatorTests {

	static final String CALL_ID = "call-5eed0000000000000000000000000001";

	@RegisterExtension
	static WireMockExtension kamailio = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Test
	void bridgesTheAgentToTheDestinationWithTheCallIdOnBothUrisThroughKamailioItself() {
		stubBridge(okJson(KamailioFixtures.body("dlg.bridge_dlg-5001-to-5002-with-op.json")));

		originator(null).originate(command("5001", "5002"));

		JsonNode params = sentParams();
		assertThat(params.size()).isEqualTo(4);
		assertThat(params.get(0).asString()).isEqualTo("sip:5001@192.168.210.54;xcid=" + CALL_ID);
		assertThat(params.get(1).asString()).isEqualTo("<sip:5002@192.168.210.54;xcid=" + CALL_ID + ">");
		assertThat(params.get(2).asString()).isEqualTo("sip:controller@192.168.210.54");
		String offer = params.get(3).asString();
		assertThat(offer).startsWith("v=0\r\n")
			.endsWith("\r\n")
			.contains("m=audio 9 UDP/TLS/RTP/SAVPF 111 0 8\r\n", "a=inactive\r\n", "a=setup:actpass\r\n",
					"a=rtcp-mux\r\n", "a=mid:0\r\n")
			.containsPattern("a=ice-ufrag:[0-9a-f]{8}\r\n")
			.containsPattern("a=ice-pwd:[0-9a-f]{24}\r\n")
			.containsPattern("a=fingerprint:sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}\r\n");
	}

	@Test
	void sendsTheInviteToTheConfiguredBridgeContactAndEscapesAHashInTheNumber() {
		stubBridge(okJson(KamailioFixtures.body("dlg.bridge_dlg-5001-to-5002-with-op.json")));

		originator("sip:controller@127.0.0.1:5060").originate(command("5001", "*72#"));

		JsonNode params = sentParams();
		assertThat(params.get(1).asString()).isEqualTo("<sip:*72%23@192.168.210.54;xcid=" + CALL_ID + ">");
		assertThat(params.get(2).asString()).isEqualTo("sip:controller@127.0.0.1:5060");
	}

	@Test
	void anUnreachableKamailioIs503KamailioUnreachable() {
		stubBridge(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

		BackendUnavailableException refused = catchThrowableOfType(BackendUnavailableException.class,
				() -> originator(null).originate(command("5001", "5002")));

		assertThat(refused.backend()).isEqualTo("kamailio");
		assertThat(refused.getMessage()).isEqualTo("Kamailio unreachable");
	}

	@Test
	void aFaultIsAnUnavailableBackendWithKamailiosReason() {
		stubBridge(aResponse().withStatus(500)
			.withHeader("Content-Type", "application/json")
			.withBody(KamailioFixtures.body("error-dlg.bridge_dlg-one-param.json")));

		BackendUnavailableException refused = catchThrowableOfType(BackendUnavailableException.class,
				() -> originator(null).originate(command("5001", "5002")));

		assertThat(refused.getMessage()).contains("Kamailio did not place the call", "Invalid parameters");
	}

	@Test
	void valuesOutsideTheirGrammarNeverReachKamailio() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> originator(null).originate(command("5001", "5002>;evil=1")));
		assertThatIllegalArgumentException().isThrownBy(() -> originator(null).originate(
				new OriginateCommand("call-1;x=1", "5001", "5002", null, Duration.ofSeconds(30), false)));
		assertThat(kamailio.getAllServeEvents()).isEmpty();
	}

	private KamailioCallOriginator originator(String bridgeContact) {
		KamailioProperties base = KamailioTestSupport.properties(kamailio.baseUrl() + "/RPC");
		KamailioProperties properties = new KamailioProperties(URI.create(kamailio.baseUrl() + "/RPC"),
				base.sipDomain(), base.refreshInterval(), base.maxStaleness(), base.connectTimeout(),
				base.readTimeout(), base.locationTable(), null, bridgeContact);
		return new KamailioCallOriginator(KamailioTestSupport.client(properties), properties);
	}

	private static OriginateCommand command(String agent, String destination) {
		return new OriginateCommand(CALL_ID, agent, destination, null, Duration.ofSeconds(30), false);
	}

	private static void stubBridge(ResponseDefinitionBuilder response) {
		kamailio.stubFor(post("/RPC").withRequestBody(matchingJsonPath("$.method", equalTo("dlg.bridge_dlg")))
			.willReturn(response));
	}

	private static JsonNode sentParams() {
		List<ServeEvent> events = kamailio.getAllServeEvents();
		assertThat(events).hasSize(1);
		JsonNode request = KamailioFixtures.JSON.readTree(events.get(0).getRequest().getBodyAsString());
		assertThat(request.path("method").asString()).isEqualTo("dlg.bridge_dlg");
		return request.path("params");
	}

}
