package org.signaling.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.events.EventLog;
import org.signaling.api.testsupport.ApiClient;
import org.signaling.api.testsupport.ApiClient.Response;
import org.signaling.api.testsupport.CallEventAssertions;
import org.signaling.api.testsupport.KamailioProcess;
import org.signaling.api.testsupport.LiveService;
import org.signaling.api.testsupport.Sipp;
import org.signaling.api.testsupport.TestTls;
import org.signaling.api.testsupport.ami.AmiMessage;
import org.signaling.api.testsupport.ami.AmiServerDouble;
import org.signaling.api.testsupport.ami.CallScript;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Call control end to end: the service over TLS, the real asterisk-java client against the AMI server double
 * (wire protocol over TCP), and a real Kamailio with SIPp agents for registrations and Kamailio-only calls.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CallControlIT {

	static final Duration BOUND = Duration.ofSeconds(30);

	static final TestTls TLS = TestTls.create();

	static final KamailioProcess KAMAILIO = KamailioProcess.start("127.0.0.1:9");

	static final Sipp SIPP = new Sipp(KAMAILIO);

	static final AmiServerDouble ASTERISK = LiveService.startAsterisk();

	@LocalServerPort
	int port;

	@Autowired
	EventLog events;

	ApiClient api;

	final List<AutoCloseable> agents = new ArrayList<>();

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		LiveService.register(registry, TLS, KAMAILIO, "127.0.0.1:9");
		LiveService.registerAsterisk(registry, ASTERISK);
		registry.add("signaling.calls.reconcile-interval", () -> "500ms");
		registry.add("signaling.calls.reconcile-grace", () -> "1s");
	}

	@BeforeEach
	void setUp() {
		api = new ApiClient("https://localhost:" + port, TLS.clientContext());
		ASTERISK.calls().defaultScript(CallScript.ANSWER_AND_BRIDGE).resumeEvents();
		await().atMost(BOUND).until(() -> "up".equals(
				api.componentStatus("asterisk")));
	}

	@AfterEach
	void stopAgents() throws Exception {
		ASTERISK.calls().manualStepping(false).resumeEvents();
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
		ASTERISK.close();
	}

	@Test
	void clickToDialRingsTheAgentThroughAsteriskAndFollowsTheCall() {
		agents.add(SIPP.agentUas("5001"));
		awaitRegistered("5001");
		ASTERISK.calls().manualStepping(true);
		try {
			Response made = api.post("/api/call/make", "{\"from\":\"5001\",\"to\":\"5551234567\",\"timeout\":25}");

			assertThat(made.status()).as(made.toString()).isEqualTo(202);
			String callId = made.json().path("call_id").asString();
			assertThat(made.header("Location")).isEqualTo("/api/calls/" + callId);
			JsonNode listed = api.listedCall("5001", callId);
			assertThat(listed.path("state").asString()).as("listed at once").isEqualTo("initiated");

			AmiMessage originate = ASTERISK.receivedActions("Originate").stream()
				.filter((action) -> callId.equals(action.get("ChannelId")))
				.findFirst()
				.orElseThrow();
			assertThat(originate.get("Channel")).isEqualTo("PJSIP/5001@kamailio");
			assertThat(originate.get("Exten")).isEqualTo("5551234567");
			assertThat(originate.get("Async")).isEqualTo("true");
			assertThat(originate.get("Timeout")).isEqualTo("25000");
			assertThat(originate.getAll("Variable")).contains("PJSIP_HEADER(add,X-Call-Id)=" + callId);

			ASTERISK.calls().runToEnd(callId);
			await().atMost(BOUND).until(() -> "confirmed".equals(state(callId)));
			JsonNode record = api.get("/api/calls/" + callId).json();
			assertThat(record.path("asterisk").path("uniqueid").asString()).isEqualTo(callId);
			assertThat(record.path("asterisk").path("channels").size()).isEqualTo(2);
			assertThat(record.path("answered_at").isNumber()).isTrue();
			assertThat(api.get("/api/dn/5001").json().path("status").asString()).isEqualTo("busy");

			Response hangup = api.post("/api/call/hangup", "{\"call_id\":\"" + callId + "\"}");
			assertThat(hangup.status()).isEqualTo(200);
			assertThat(hangup.json().path("status").asString()).isEqualTo("terminated");
			await().atMost(BOUND).untilAsserted(() -> {
				JsonNode ended = api.get("/api/calls/" + callId).json();
				assertThat(ended.path("state").asString()).isEqualTo("ended");
				assertThat(ended.path("end_cause").asString()).isEqualTo("hangup_api");
			});
			assertThat(ASTERISK.calls().isLive(callId)).isFalse();
		}
		finally {
			ASTERISK.calls().manualStepping(false);
		}
	}

	@Test
	void theSeedsTransferScenarioWorks() {
		agents.add(SIPP.agentUas("5001"));
		agents.add(SIPP.agentUas("5002"));
		awaitRegistered("5001");
		awaitRegistered("5002");
		String first = made("{\"from\":\"5001\",\"to\":\"5551234567\"}");
		await().atMost(BOUND).until(() -> "confirmed".equals(state(first)));

		// WWE: make from 5002, and when 5002 is connected, hang up 5001's call.
		String second = made("{\"from\":\"5002\",\"to\":\"5551234567\"}");
		await().atMost(BOUND).until(() -> "confirmed".equals(state(second)));
		assertThat(api.post("/api/call/hangup", "{\"call_id\":\"" + first + "\"}").status()).isEqualTo(200);

		await().atMost(BOUND).until(() -> "ended".equals(state(first)));
		assertThat(state(second)).isEqualTo("confirmed");
		assertThat(ASTERISK.calls().isLive(first)).isFalse();
		assertThat(ASTERISK.calls().isLive(second)).isTrue();
		assertThat(api.listedCall("5002", second).path("state").asString()).isEqualTo("confirmed");
		api.post("/api/call/hangup", "{\"call_id\":\"" + second + "\"}");
	}

	@Test
	void aRetriedRequestWithTheSameIdempotencyKeyDialsOnce() {
		agents.add(SIPP.agentUas("5001"));
		awaitRegistered("5001");
		String body = "{\"from\":\"5001\",\"to\":\"5551230001\"}";

		Response first = api.post("/api/call/make", body, "Idempotency-Key", "wwe-retry-42");
		Response retry = api.post("/api/call/make", body, "Idempotency-Key", "wwe-retry-42");

		assertThat(first.status()).isEqualTo(202);
		assertThat(retry.status()).isEqualTo(202);
		String callId = first.json().path("call_id").asString();
		assertThat(retry.json().path("call_id").asString()).isEqualTo(callId);
		assertThat(ASTERISK.receivedActions("Originate").stream().filter((a) -> "5551230001".equals(a.get("Exten"))))
			.hasSize(1);
		api.post("/api/call/hangup", "{\"call_id\":\"" + callId + "\"}");
	}

	@Test
	void whileAsteriskIsAwayMakeIs503AndItWorksAgainWhenItIsBack() throws Exception {
		agents.add(SIPP.agentUas("5001"));
		awaitRegistered("5001");
		ASTERISK.stopListening();
		ASTERISK.dropAllConnections();
		try {
			await().atMost(BOUND).untilAsserted(() -> {
				Response refused = api.post("/api/call/make", "{\"from\":\"5001\",\"to\":\"5551230002\"}");
				assertThat(refused.status()).isEqualTo(503);
				assertThat(refused.json().path("error").asString()).isEqualTo("Asterisk unreachable");
			});
			assertThat(api.componentStatus("asterisk"))
				.isEqualTo("down");
		}
		finally {
			ASTERISK.startListening();
		}

		await().atMost(BOUND).untilAsserted(() -> assertThat(
				api.post("/api/call/make", "{\"from\":\"5001\",\"to\":\"5551230003\"}").status()).isEqualTo(202));
	}

	@Test
	void aCallWhoseHangupEventWasMissedIsEndedByReconciliation() {
		agents.add(SIPP.agentUas("5001"));
		awaitRegistered("5001");
		String callId = made("{\"from\":\"5001\",\"to\":\"5551230004\"}");
		await().atMost(BOUND).until(() -> "confirmed".equals(state(callId)));

		ASTERISK.calls().suppressEvents("Hangup", "BridgeLeave");
		ASTERISK.calls().hangupFromFarSide(callId);

		await().atMost(BOUND).untilAsserted(() -> {
			JsonNode record = api.get("/api/calls/" + callId).json();
			assertThat(record.path("state").asString()).isEqualTo("ended");
			assertThat(record.path("end_cause").asString()).isEqualTo("reconciled");
		});
	}

	@Test
	void hostileValuesNeverReachTheAmiSocket() {
		agents.add(SIPP.agentUas("5001"));
		awaitRegistered("5001");
		int originatesBefore = ASTERISK.receivedActions("Originate").size();

		for (String body : List.of("{\"from\":\"5001\",\"to\":\"1003\\r\\nAction: Originate\"}",
				"{\"from\":\"5001\\nApplication: System\",\"to\":\"1003\"}", "{\"from\":\"5001\",\"to\":\"1003,X=1\"}",
				"{\"from\":\"5001\",\"to\":\"1003\",\"caller_id\":\"1\\r\\nData: evil\"}")) {
			assertThat(api.post("/api/call/make", body).status()).as(body).isEqualTo(400);
		}
		assertThat(api.post("/api/call/hangup", "{\"call_id\":\"/.*/\"}").status()).isEqualTo(400);

		assertThat(ASTERISK.receivedActions("Originate")).hasSize(originatesBefore);
		assertThat(ASTERISK.receivedMessages()).noneMatch((message) -> message.toString().contains("evil")
				|| message.toString().contains("System") || message.toString().contains("/.*/"));
	}

	@Test
	void hangupOfACallOnlyKamailioCarriesSendsTheByeToBothAgents() {
		Sipp.Agent callee = SIPP.agentUas("5004");
		Sipp.Agent caller = SIPP.call("5003", "5004");
		agents.add(callee);
		agents.add(caller);
		await().atMost(BOUND).until(() -> "confirmed".equals(
				api.get("/api/calls/dn/5003").json().path("active_calls").path(0).path("state").asString()));
		String sipCallId = api.get("/api/calls/dn/5003").json().path("active_calls").path(0).path("call_id").asString();
		assertThat(api.get("/api/calls/" + sipCallId).json().path("origin").asString()).isEqualTo("kamailio");

		Response hangup = api.post("/api/call/hangup", "{\"call_id\":\"" + sipCallId + "\"}");

		assertThat(hangup.status()).isEqualTo(200);
		await().atMost(BOUND).untilAsserted(() -> {
			assertThat(caller.countReceived("BYE ")).isEqualTo(1);
			assertThat(callee.countReceived("BYE ")).isEqualTo(1);
		});
		await().atMost(BOUND).until(() -> api.get("/api/calls/dn/5003").json().path("count").asInt() == 0);
	}

	private String made(String body) {
		Response made = api.post("/api/call/make", body);
		assertThat(made.status()).as(made.toString()).isEqualTo(202);
		return made.json().path("call_id").asString();
	}

	private String state(String callId) {
		return api.get("/api/calls/" + callId).json().path("state").asString();
	}

	private void awaitRegistered(String dn) {
		await().atMost(BOUND).until(() -> api.get("/api/dn/" + dn).json().path("registered").asBoolean());
	}

}
