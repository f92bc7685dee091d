package org.signaling.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.EventTypes;
import org.signaling.api.events.StoredEvent;
import org.signaling.api.testsupport.ApiClient;
import org.signaling.api.testsupport.ApiClient.Response;
import org.signaling.api.testsupport.CallEventAssertions;
import org.signaling.api.testsupport.KamailioProcess;
import org.signaling.api.testsupport.LiveService;
import org.signaling.api.testsupport.Sipp;
import org.signaling.api.testsupport.TestTls;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Click-to-dial with no PBX ({@code signaling.calls.originator: kamailio}): the service over TLS against a real
 * Kamailio, which INVITEs the agent (a SIPp phone that follows the REFER, as JsSIP does) and REFERs it to the
 * destination (a SIPp phone). No Asterisk is configured.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClickToDialIT {

	static final Duration BOUND = Duration.ofSeconds(30);

	static final TestTls TLS = TestTls.create();

	static final KamailioProcess KAMAILIO = KamailioProcess.start("127.0.0.1:9");

	static final Sipp SIPP = new Sipp(KAMAILIO);

	@LocalServerPort
	int port;

	@Autowired
	EventLog events;

	ApiClient api;

	final List<AutoCloseable> agents = new ArrayList<>();

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		LiveService.register(registry, TLS, KAMAILIO, "127.0.0.1:9");
		registry.add("signaling.calls.originator", () -> "kamailio");
		registry.add("signaling.kamailio.bridge-contact",
				() -> "sip:controller@" + KAMAILIO.listenIp() + ":" + KAMAILIO.sipPort());
		registry.add("signaling.calls.reconcile-interval", () -> "500ms");
		registry.add("signaling.calls.reconcile-grace", () -> "1s");
	}

	@BeforeEach
	void setUp() {
		api = new ApiClient("https://localhost:" + port, TLS.clientContext());
	}

	@AfterEach
	void stopAgents() throws Exception {
		api.hangUpEveryCallOf("5001", "5002");
		for (AutoCloseable agent : agents) {
			agent.close();
		}
		agents.clear();
		CallEventAssertions.awaitEveryCallEndedExactlyOnce(events, BOUND);
	}

	@AfterAll
	static void stopBackends() {
		SIPP.close();
		KAMAILIO.close();
	}

	@Test
	void kamailioRingsTheAgentThenTheDestinationAndTheApiHangsUpBothLegs() {
		Sipp.Agent agent = SIPP.agentRefer("5001");
		Sipp.Agent destination = SIPP.slowUas("5002", Duration.ofMillis(1500));
		agents.add(agent);
		agents.add(destination);
		awaitRegistered("5001");
		awaitRegistered("5002");

		Response made = api.post("/api/call/make", "{\"from\":\"5001\",\"to\":\"5002\"}");

		assertThat(made.status()).as(made.toString()).isEqualTo(202);
		assertThat(made.json().path("status").asString()).isEqualTo("initiated");
		assertThat(made.json().path("from").asString()).isEqualTo("5001");
		assertThat(made.json().path("to").asString()).isEqualTo("5002");
		String callId = made.json().path("call_id").asString();
		assertThat(made.header("Location")).isEqualTo("/api/calls/" + callId);

		await().atMost(BOUND).until(() -> "confirmed".equals(state(callId)));
		assertThat(eventTypes(callId)).containsSubsequence(EventTypes.CALL_INITIATED, EventTypes.CALL_RINGING,
				EventTypes.CALL_ANSWERED);
		JsonNode listed = api.listedCall("5001", callId);
		assertThat(listed.path("state").asString()).isEqualTo("confirmed");
		assertThat(api.listedCall("5002", callId).path("call_id").asString()).isEqualTo(callId);
		JsonNode record = api.get("/api/calls/" + callId).json();
		assertThat(record.path("origin").asString()).isEqualTo("api");
		assertThat(record.path("originator").asString()).isEqualTo("kamailio");
		assertThat(record.path("asterisk").isNull() || record.path("asterisk").isMissingNode()).isTrue();
		assertThat(record.path("answered_at").isNumber()).isTrue();
		await("Kamailio REFERred the agent").atMost(BOUND).until(() -> agent.countReceived("REFER ") > 0);

		Response hangup = api.post("/api/call/hangup", "{\"call_id\":\"" + callId + "\"}");

		assertThat(hangup.status()).isEqualTo(200);
		assertThat(hangup.json().path("status").asString()).isEqualTo("terminated");
		await().atMost(BOUND).untilAsserted(() -> {
			// The agent's first BYE is the controller's, right after the REFER.
			assertThat(agent.countReceived("BYE ")).isEqualTo(2);
			assertThat(destination.countReceived("BYE ")).isEqualTo(1);
		});
		await().atMost(BOUND).untilAsserted(() -> {
			JsonNode ended = api.get("/api/calls/" + callId).json();
			assertThat(ended.path("state").asString()).isEqualTo("ended");
			assertThat(ended.path("end_cause").asString()).isEqualTo("hangup_api");
		});
		await().atMost(BOUND).until(() -> api.get("/api/calls/dn/5002").json().path("count").asInt() == 0);
		await().atMost(BOUND).untilAsserted(() -> assertThat(endCause(callId)).isEqualTo("hangup_api"));
	}

	@Test
	void aDestinationThatIsNotRegisteredEndsTheCallWithAClearCause() {
		agents.add(SIPP.agentRefer("5001"));
		awaitRegistered("5001");

		String callId = made("{\"from\":\"5001\",\"to\":\"5009\"}");

		await().atMost(BOUND).untilAsserted(() -> {
			JsonNode record = api.get("/api/calls/" + callId).json();
			assertThat(record.path("state").asString()).isEqualTo("failed");
			assertThat(record.path("end_cause").asString()).isEqualTo("destination_not_registered");
		});
		await().atMost(BOUND).untilAsserted(() -> assertThat(endCause(callId)).isEqualTo("destination_not_registered"));
	}

	@Test
	void anAgentThatNeverAnswersIsCancelledAfterTheRingTimeout() {
		Sipp.Agent agent = SIPP.ringingUas("5001");
		agents.add(agent);
		awaitRegistered("5001");

		String callId = made("{\"from\":\"5001\",\"to\":\"5002\",\"timeout\":1}");

		await().atMost(BOUND).untilAsserted(() -> {
			JsonNode record = api.get("/api/calls/" + callId).json();
			assertThat(record.path("state").asString()).isEqualTo("failed");
			assertThat(record.path("end_cause").asString()).isEqualTo("no_answer");
		});
		await().atMost(BOUND).untilAsserted(() -> assertThat(agent.countReceived("CANCEL ")).isEqualTo(1));
		await().atMost(BOUND).until(() -> api.get("/api/calls/dn/5001").json().path("count").asInt() == 0);
		assertThat(eventTypes(callId)).contains(EventTypes.CALL_RINGING, EventTypes.CALL_ENDED);
	}

	private String made(String body) {
		Response made = api.post("/api/call/make", body);
		assertThat(made.status()).as(made.toString()).isEqualTo(202);
		return made.json().path("call_id").asString();
	}

	private List<String> eventTypes(String callId) {
		List<String> types = new ArrayList<>();
		for (StoredEvent stored : events.after(0, 1_000_000)) {
			if (callId.equals(stored.event().subject())) {
				types.add(stored.event().type());
			}
		}
		return types;
	}

	private String endCause(String callId) {
		for (StoredEvent stored : events.after(0, 1_000_000)) {
			if (callId.equals(stored.event().subject()) && EventTypes.CALL_ENDED.equals(stored.event().type())) {
				return String.valueOf(stored.event().data().get("end_cause"));
			}
		}
		return null;
	}

	private String state(String callId) {
		return api.get("/api/calls/" + callId).json().path("state").asString();
	}

	private void awaitRegistered(String dn) {
		await().atMost(BOUND).until(() -> api.get("/api/dn/" + dn).json().path("registered").asBoolean());
	}

}
