package org.signaling.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.StoredEvent;
import org.signaling.api.testsupport.ApiClient;
import org.signaling.api.testsupport.ApiClient.Response;
import org.signaling.api.testsupport.FreePorts;
import org.signaling.api.testsupport.KamailioProcess;
import org.signaling.api.testsupport.LiveService;
import org.signaling.api.testsupport.Sipp;
import org.signaling.api.testsupport.TestTls;
import org.signaling.api.testsupport.WebSocketAgent;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reachability against the real Kamailio (config/kamailio/kamailio.cfg) with usrloc probing every second and a bound
 * of 3 s on both sides ({@code KA_UNREACHABLE_AFTER}, {@code signaling.dn.unreachable-after}), and the service fed
 * by push alone: its full read of the location table is 10 minutes away, so whatever it learns in a test came from
 * Kamailio's evapi hints. A SIPp agent answers probes until it is killed; a WebSocket agent is gone when its
 * connection is.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReachabilityIT {

	static final Duration BOUND = Duration.ofSeconds(30);

	static final int UNREACHABLE_AFTER_S = 3;

	static final int GENESYS_PORT = FreePorts.udp();

	static final TestTls TLS = TestTls.create();

	static final KamailioProcess KAMAILIO = KamailioProcess.start("127.0.0.1:" + GENESYS_PORT, "UL_TIMER_INTERVAL=1",
			"KA_UNREACHABLE_AFTER=" + UNREACHABLE_AFTER_S);

	static final Sipp SIPP = new Sipp(KAMAILIO);

	@LocalServerPort
	int port;

	@Autowired
	EventLog events;

	ApiClient api;

	@DynamicPropertySource
	static void kamailio(DynamicPropertyRegistry registry) {
		LiveService.register(registry, TLS, KAMAILIO, "127.0.0.1:" + GENESYS_PORT);
		registry.add("signaling.kamailio.evapi-address", KAMAILIO::evapiAddress);
		registry.add("signaling.kamailio.full-resync-interval", () -> "10m");
		registry.add("signaling.dn.unreachable-after", () -> UNREACHABLE_AFTER_S + "s");
		registry.add("signaling.dn.directory", () -> "5001-5009");
	}

	@BeforeEach
	void client() {
		api = new ApiClient("https://localhost:" + port, TLS.clientContext());
	}

	@AfterAll
	static void stopKamailio() {
		SIPP.close();
		KAMAILIO.close();
	}

	@Test
	void anAgentWhoseProcessWasKilledIsUnreachableAndReachableAgainWhenItAnswers() {
		Sipp.Agent agent = SIPP.agentUas("5001");
		await().atMost(BOUND).untilAsserted(() -> assertThat(ok("/api/routing/dn/5001").path("reason").asString())
			.isEqualTo("ok"));
		// answering probes, it stays reachable beyond the bound
		long probesAnswered = agent.countReceived("OPTIONS ");
		await().atMost(BOUND).until(() -> agent.countReceived("OPTIONS ") >= probesAnswered + UNREACHABLE_AFTER_S + 1);
		assertThat(ok("/api/routing/dn/5001").path("reason").asString()).isEqualTo("ok");

		agent.stop();
		Instant killed = Instant.now();

		await().atMost(BOUND).untilAsserted(() -> {
			JsonNode route = ok("/api/routing/dn/5001");
			assertThat(route.path("reason").asString()).isEqualTo("unreachable");
			assertThat(route.path("registered").asBoolean()).isTrue();
			assertThat(route.path("reachable").asBoolean()).isFalse();
			assertThat(route.path("available").asBoolean()).isFalse();
			assertThat(route.path("target_uri").asString()).isEmpty();
		});
		System.out.printf("ReachabilityIT: 5001 unreachable %d ms after its agent was killed (bound %d s)%n",
				Duration.between(killed, Instant.now()).toMillis(), UNREACHABLE_AFTER_S);
		JsonNode dn = ok("/api/dn/5001");
		assertThat(dn.path("status").asString()).isEqualTo("unreachable");
		assertThat(dn.path("contacts").path(0).path("reachable").asBoolean()).isFalse();
		assertThat(ok("/api/routing/select?candidates=5001,5009").path("reason").asString())
			.as("no candidate available: the first's own answer").isEqualTo("unreachable");
		assertThat(lastEventOf("5001").event().type()).isEqualTo("dn.unreachable");
		assertThat(lastEventOf("5001").event().data()).containsEntry("status", "unreachable")
			.containsEntry("reachable", false);

		// the agent comes back on the same DN: the first answer is pushed
		SIPP.agentUas("5001");
		await().atMost(BOUND).untilAsserted(() -> assertThat(ok("/api/routing/dn/5001").path("reason").asString())
			.isEqualTo("ok"));
		await().atMost(BOUND).untilAsserted(() -> assertThat(lastEventOf("5001").event().type())
			.isEqualTo("dn.reachable"));
	}

	@Test
	void aBrowserAgentIsOfflineAsSoonAsItsConnectionCloses() throws Exception {
		WebSocketAgent browser = WebSocketAgent.register(KAMAILIO, "5004");
		await().atMost(BOUND).untilAsserted(() -> assertThat(ok("/api/dn/5004").path("status").asString())
			.isEqualTo("available"));

		browser.close();

		await().atMost(BOUND).untilAsserted(() -> assertThat(ok("/api/dn/5004").path("status").asString())
			.isEqualTo("offline"));
		assertThat(KAMAILIO.logTail(400)).as("removed by kamailio.cfg's route WS_CONTACTS_GONE, not by the timer")
			.contains("contact(s) of 5004 removed: their connection");
		assertThat(lastEventOf("5004").event().type()).isEqualTo("dn.unregistered");
	}

	private StoredEvent lastEventOf(String dn) {
		List<StoredEvent> ofDn = events.after(0, 1_000_000)
			.stream()
			.filter((stored) -> stored.event().subject().equals(dn))
			.toList();
		assertThat(ofDn).as("events of " + dn).isNotEmpty();
		return ofDn.get(ofDn.size() - 1);
	}

	private JsonNode ok(String path) {
		Response response = api.get(path);
		assertThat(response.status()).as(path + " -> " + response).isEqualTo(200);
		return response.json();
	}

}
