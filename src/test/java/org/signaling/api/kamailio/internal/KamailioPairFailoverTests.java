package org.signaling.api.kamailio.internal;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.signaling.api.kamailio.KamailioProperties;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A Kamailio pair ({@code rpc-urls}): every RPC goes to the node that answered last, and fails over on no answer. */
class KamailioPairFailoverTests {

	@RegisterExtension
	static WireMockExtension nodeA = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@RegisterExtension
	static WireMockExtension nodeB = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Test
	void aNodeThatDoesNotAnswerIsLeftForTheNextUntilThatOneDoesNotAnswerEither() {
		KamailioRpcClient client = pair();
		nodeA.stubFor(post("/RPC").willReturn(answer("ul.dump-two-registered.json")));
		nodeB.stubFor(post("/RPC").willReturn(answer("ul.dump-two-registered.json")));
		client.call("ul.dump");
		assertThat(nodeB.findAll(postRequestedFor(urlEqualTo("/RPC")))).isEmpty();

		nodeA.stubFor(post("/RPC").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		assertThat(client.call("ul.dump").path("Domains").size()).isEqualTo(1);
		client.call("ul.dump");

		assertThat(client.currentNode()).isEqualTo(nodeB.baseUrl() + "/RPC");
		assertThat(nodeA.findAll(postRequestedFor(urlEqualTo("/RPC")))).as("tried once, then left").hasSize(2);
		assertThat(nodeB.findAll(postRequestedFor(urlEqualTo("/RPC")))).hasSize(2);
	}

	@Test
	void aFaultIsKamailiosAnswerAndIsNotAskedOfTheOtherNode() {
		KamailioRpcClient client = pair();
		nodeA.stubFor(post("/RPC").willReturn(aResponse().withStatus(500)
			.withHeader("Content-Type", "application/json")
			.withBody(KamailioFixtures.body("error-method-not-found.json"))));

		KamailioRpcException failure = catchThrowableOfType(KamailioRpcException.class,
				() -> client.call("no.such.method"));

		assertThat(failure.kind()).isEqualTo(KamailioRpcException.Kind.FAULT);
		assertThat(nodeB.findAll(postRequestedFor(urlEqualTo("/RPC")))).isEmpty();
	}

	@Test
	void withNeitherNodeAnsweringTheCallFailsAsUnreachable() {
		KamailioRpcClient client = pair();
		nodeA.stubFor(post("/RPC").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		nodeB.stubFor(post("/RPC").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

		KamailioRpcException failure = catchThrowableOfType(KamailioRpcException.class, () -> client.call("ul.dump"));

		assertThat(failure.kind()).isEqualTo(KamailioRpcException.Kind.UNREACHABLE);
	}

	@Test
	void aDialogIsEndedOnTheNodeThatOwnsItAndOnTheOtherWhenTheOwnerDoesNotAnswer() {
		KamailioRpcClient client = pair();
		nodeA.stubFor(post("/RPC").willReturn(answer("dlg.end_dlg-ok.json")));
		nodeB.stubFor(post("/RPC").willReturn(answer("dlg.end_dlg-ok.json")));

		// h_id 4239 is odd: node B (DLG_H_ID_START=1, DLG_H_ID_STEP=2) made it.
		client.callOwnerOf(4239, "dlg.end_dlg", 4021, 4239);
		assertThat(nodeB.findAll(postRequestedFor(urlEqualTo("/RPC")))).hasSize(1);
		assertThat(nodeA.findAll(postRequestedFor(urlEqualTo("/RPC")))).isEmpty();
		assertThat(client.currentNode()).as("the view keeps reading A").isEqualTo(nodeA.baseUrl() + "/RPC");

		nodeB.stubFor(post("/RPC").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		client.callOwnerOf(4241, "dlg.end_dlg", 4021, 4241);
		assertThat(nodeA.findAll(postRequestedFor(urlEqualTo("/RPC")))).hasSize(1);
	}

	private static KamailioRpcClient pair() {
		KamailioProperties properties = new KamailioProperties(URI.create("http://127.0.0.1:9/RPC"), "192.168.210.54",
				Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofMillis(1000),
				"location", null, null, Duration.ofSeconds(30),
				List.of(URI.create(nodeA.baseUrl() + "/RPC"), URI.create(nodeB.baseUrl() + "/RPC")), null);
		return KamailioTestSupport.client(properties);
	}

	private static ResponseDefinitionBuilder answer(String fixture) {
		return aResponse().withHeader("Content-Type", "application/json").withBody(KamailioFixtures.body(fixture));
	}

}
