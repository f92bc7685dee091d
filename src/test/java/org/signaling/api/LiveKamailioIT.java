package org.signaling.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.events.EventLog;
import org.signaling.api.testsupport.ApiClient;
import org.signaling.api.testsupport.ApiClient.Response;
import org.signaling.api.testsupport.CallEventAssertions;
import org.signaling.api.testsupport.FreePorts;
import org.signaling.api.testsupport.KamailioProcess;
import org.signaling.api.testsupport.LiveService;
import org.signaling.api.testsupport.Sipp;
import org.signaling.api.testsupport.TestCredentials;
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
 * The service over TLS against a real Kamailio (config/kamailio/kamailio.cfg) on loopback, with SIPp processes as
 * agents and as the Genesys SIP Server. The tests share one Kamailio; each registers the agents it needs and leaves
 * no call behind, and after each every call it made has ended exactly once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LiveKamailioIT {

	static final Duration BOUND = Duration.ofSeconds(30);

	static final int GENESYS_PORT = FreePorts.udp();

	static final TestTls TLS = TestTls.create();

	static final KamailioProcess KAMAILIO = KamailioProcess.start("127.0.0.1:" + GENESYS_PORT);

	static final Sipp SIPP = new Sipp(KAMAILIO);

	@LocalServerPort
	int port;

	@Autowired
	EventLog events;

	ApiClient api;

	final List<AutoCloseable> agents = new ArrayList<>();

	@DynamicPropertySource
	static void kamailio(DynamicPropertyRegistry registry) {
		LiveService.register(registry, TLS, KAMAILIO, "127.0.0.1:" + GENESYS_PORT);
		registry.add("signaling.dn.directory", () -> "5001-5009");
	}

	@BeforeEach
	void client() {
		api = new ApiClient("https://localhost:" + port, TLS.clientContext());
	}

	@AfterEach
	void stopAgentsAndCheckTheirCallsEnded() throws Exception {
		for (AutoCloseable agent : agents) {
			agent.close();
		}
		agents.clear();
		// The next test starts without a call; every call so far was announced and ended exactly once.
		await().atMost(BOUND).untilAsserted(() -> assertThat(ok("/api/calls/active").path("active_calls").asInt())
			.isZero());
		CallEventAssertions.awaitEveryCallEndedExactlyOnce(events, BOUND);
	}

	@AfterAll
	static void stopKamailio() {
		SIPP.close();
		KAMAILIO.close();
	}

	@Test
	void registeredAgentsAppearInTheDnList() {
		agents.add(SIPP.agentUas("5001"));
		agents.add(SIPP.agentUas("5002"));

		await().atMost(BOUND).untilAsserted(() -> {
			JsonNode list = ok("/api/dn/list");
			assertThat(entry(list, "5001").path("status").asString()).isEqualTo("registered");
			assertThat(entry(list, "5002").path("status").asString()).isEqualTo("registered");
		});
		JsonNode list = ok("/api/dn/list");
		assertThat(entry(list, "5001").path("sip_uri").asString()).isEqualTo("sip:5001@127.0.0.1");
		assertThat(entry(list, "5009").path("status").asString()).as("directory DN no test registers")
			.isEqualTo("offline");
		assertThat(eventTypesOf("5001")).contains("dn.registered");

		JsonNode dn = ok("/api/dn/5001");
		assertThat(dn.path("status").asString()).isEqualTo("available");
		assertThat(dn.path("contacts").path(0).path("transport").asString()).isEqualTo("udp");
		assertThat(dn.path("contacts").path(0).path("expires").asLong()).isBetween(3000L, 3600L);

		// as Genesys routing reads them: flat, always 200
		JsonNode route = ok("/api/routing/dn/5001");
		assertThat(route.path("reason").asString()).isEqualTo("ok");
		assertThat(route.path("target_uri").asString()).isEqualTo("sip:5001@127.0.0.1");
		// another test may have left a second contact of 5001 registered: at least this one
		assertThat(route.path("contact_count").asInt()).isPositive();
		assertThat(ok("/api/routing/dn/5999").path("reason").asString()).as("unknown DN").isEqualTo("not_found");
		assertThat(ok("/api/routing/dn/5009").path("reason").asString()).isEqualTo("not_registered");
		assertThat(ok("/api/routing/select?candidates=5009,5002,5001").path("dn").asString()).isEqualTo("5002");
	}

	@Test
	void aHeldCallMakesTheAgentBusyUntilItEnds() {
		agents.add(SIPP.agentUas("5002"));
		agents.add(SIPP.call("5001", "5002"));

		await().atMost(BOUND).untilAsserted(() -> {
			JsonNode calls = ok("/api/calls/dn/5001");
			assertThat(calls.path("count").asInt()).isEqualTo(1);
			assertThat(calls.path("active_calls").path(0).path("state").asString()).isEqualTo("confirmed");
		});
		JsonNode call = ok("/api/calls/dn/5001").path("active_calls").get(0);
		assertThat(call.path("from").asString()).isEqualTo("sip:5001@127.0.0.1");
		assertThat(call.path("to").asString()).isEqualTo("sip:5002@127.0.0.1");
		assertThat(call.path("direction").asString()).isEqualTo("outbound");
		assertThat(ok("/api/calls/active").path("active_calls").asInt()).isEqualTo(1);
		assertThat(ok("/api/dn/5001").path("status").asString()).isEqualTo("busy");
		assertThat(ok("/api/dn/5002").path("status").asString()).isEqualTo("busy");
		assertThat(ok("/api/calls/dn/5002").path("active_calls").path(0).path("direction").asString())
			.isEqualTo("inbound");

		// End the call in Kamailio (BYE both ways), using the dialog id the API reported.
		String[] dialog = call.path("dialog_id").asString().split(":");
		KAMAILIO.rpc().call("dlg.end_dlg", Long.parseLong(dialog[0]), Long.parseLong(dialog[1]));

		await().atMost(BOUND).untilAsserted(() -> {
			assertThat(ok("/api/dn/5001").path("status").asString()).isEqualTo("available");
			assertThat(ok("/api/calls/active").path("active_calls").asInt()).isZero();
		});
		assertThat(ok("/api/calls/dn/5001").path("active_calls").size()).isZero();
		String callId = call.path("call_id").asString();
		await().atMost(BOUND).untilAsserted(() -> assertThat(eventTypesOf(callId)).containsSubsequence(
				"call.initiated", "call.answered", "call.ended"));
		assertThat(eventTypesOf("5001")).contains("dn.busy", "dn.available");
	}

	@Test
	void anUnansweredCallIsRinging() {
		agents.add(SIPP.ringingUas("5003"));
		agents.add(SIPP.call("5004", "5003"));

		await().atMost(BOUND).untilAsserted(() -> {
			JsonNode calls = ok("/api/calls/dn/5003");
			assertThat(calls.path("active_calls").path(0).path("state").asString()).isEqualTo("ringing");
			assertThat(calls.path("active_calls").path(0).path("duration").asInt()).isZero();
		});
		assertThat(ok("/api/dn/5003").path("status").asString()).isEqualTo("busy");
		String callId = ok("/api/calls/dn/5003").path("active_calls").path(0).path("call_id").asString();
		await().atMost(BOUND).untilAsserted(() -> assertThat(eventTypesOf(callId)).contains("call.ringing"));

		// A ringing call ends with a CANCEL (the caller gone would leave it to Kamailio's INVITE timer).
		assertThat(api.post("/api/call/hangup", "{\"call_id\":\"" + callId + "\"}").status()).isEqualTo(200);
		await().atMost(BOUND).untilAsserted(() -> assertThat(ok("/api/calls/dn/5003").path("count").asInt()).isZero());
	}

	@Test
	void aBrowserAgentOverWebSocketAppearsAndGoesOfflineWhenItsTabCloses() throws Exception {
		WebSocketAgent browser = WebSocketAgent.register(KAMAILIO, "5005");
		agents.add(browser);

		await().atMost(BOUND).untilAsserted(() -> {
			JsonNode dn = ok("/api/dn/5005");
			assertThat(dn.path("status").asString()).isEqualTo("available");
			assertThat(dn.path("contacts").path(0).path("transport").asString()).isEqualTo("ws");
		});
		assertThat(entry(ok("/api/dn/list"), "5005").path("status").asString()).isEqualTo("registered");

		browser.close();

		// Kamailio drops the contacts of a closed WebSocket connection at once (route WS_CONTACTS_GONE).
		await().atMost(BOUND).untilAsserted(
				() -> assertThat(ok("/api/dn/5005").path("status").asString()).isEqualTo("offline"));
	}

	@Test
	void genesysStatusFollowsKamailiosOptionsProbes() {
		Sipp.Agent genesys = SIPP.genesysResponder(GENESYS_PORT);
		agents.add(genesys);

		await().atMost(BOUND).untilAsserted(() -> {
			Response status = api.get("/api/genesys/status");
			assertThat(status.status()).isEqualTo(200);
			assertThat(status.json().path("status").asString()).isEqualTo("active");
			assertThat(status.json().path("connected").asBoolean()).isTrue();
		});
		assertThat(ok("/api/health").path("components").path("genesys").path("status").asString()).isEqualTo("up");

		genesys.stop();

		await().atMost(BOUND).untilAsserted(() -> {
			Response status = api.get("/api/genesys/status");
			assertThat(status.status()).isEqualTo(503);
			assertThat(status.json().path("status").asString()).isEqualTo("unreachable");
			assertThat(status.json().path("connected").asBoolean()).isFalse();
			assertThat(status.json().path("server").asString()).isEqualTo("127.0.0.1:" + GENESYS_PORT);
			assertThat(status.json().path("error").asString()).isEqualTo("Genesys server unreachable");
		});
		assertThat(ok("/api/health").path("status").asString()).isEqualTo("degraded");
		await().atMost(BOUND).untilAsserted(() -> assertThat(eventTypesOf("127.0.0.1:" + GENESYS_PORT))
			.containsSubsequence("genesys.up", "genesys.down"));
	}

	@Test
	void operationsEndpointsShowTheBackends() {
		Response readiness = api.get("/actuator/health/readiness");
		assertThat(readiness.status()).isEqualTo(200);
		assertThat(api.get("/actuator/health/liveness").status()).isEqualTo(200);
		Response metrics = api.get("/actuator/prometheus", "text/plain");
		assertThat(metrics.status()).isEqualTo(200);
		assertThat(metrics.body()).contains("signaling_kamailio_refresh_seconds_count")
			.contains("signaling_dn_registered")
			.contains("signaling_calls_active");
	}

	@Test
	void theSmokeTestScriptPassesAgainstTheLiveService() throws Exception {
		agents.add(SIPP.agentUas("5001"));
		await().atMost(BOUND).until(() -> "available".equals(ok("/api/dn/5001").path("status").asString()));
		Path root = KamailioProcess.repoRoot();
		ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("scripts/smoke-test.sh").toString(),
				"https://localhost:" + port + "/api", "5001").redirectErrorStream(true);
		builder.environment().put("API_KEY", TestCredentials.ADMIN_KEY);
		Process smoke = builder.start();
		String output = new String(smoke.getInputStream().readAllBytes());
		assertThat(smoke.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(smoke.exitValue()).as(output).isZero();
	}

	@Test
	void withoutAKeyTheSmokeTestFailsAndTheDataIsRefused() throws Exception {
		Path root = KamailioProcess.repoRoot();
		Process smoke = new ProcessBuilder("bash", root.resolve("scripts/smoke-test.sh").toString(),
				"https://localhost:" + port + "/api", "5001")
			.redirectErrorStream(true)
			.start();
		String output = new String(smoke.getInputStream().readAllBytes());
		assertThat(smoke.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(smoke.exitValue()).as(output).isNotZero();
		assertThat(output).contains("-> HTTP 401");

		ApiClient anonymous = new ApiClient("https://localhost:" + port, TLS.clientContext(), null);
		assertThat(anonymous.get("/api/dn/list").status()).isEqualTo(401);
		assertThat(anonymous.get("/api/health").status()).isEqualTo(200);
		assertThat(anonymous.get("/actuator/health/readiness").status()).isEqualTo(200);
		String agentToken = TestCredentials.jwt("agent-5001", Map.of("scope", "read", "dn", "5001"));
		assertThat(anonymous.get("/api/dn/list", "application/json", "Authorization", "Bearer " + agentToken).status())
			.as("a JWT over HTTPS")
			.isEqualTo(200);
	}

	@Test
	void dataEndpointsAnswer503WhileKamailioIsDownAndRecoverWhenItIsBack() {
		KAMAILIO.stop();

		await().atMost(BOUND).untilAsserted(() -> {
			for (String path : List.of("/api/calls/active", "/api/dn/list", "/api/dn/5001", "/api/calls/dn/5001")) {
				Response response = api.get(path);
				assertThat(response.status()).as(path).isEqualTo(503);
				assertThat(response.json().path("error").asString()).isEqualTo("Kamailio unreachable");
			}
		});
		JsonNode route = ok("/api/routing/dn/5001");
		assertThat(route.path("reason").asString()).as("routing gets an answer, not a 503")
			.isEqualTo("kamailio_unreachable");
		assertThat(route.path("retry_after_s").asInt()).isPositive();
		JsonNode health = ok("/api/health");
		assertThat(health.path("status").asString()).isEqualTo("degraded");
		assertThat(health.path("components").path("kamailio").path("status").asString()).isEqualTo("down");
		assertThat(health.path("components").path("kamailio").path("last_error").asString()).contains("unreachable");
		assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(503);

		KAMAILIO.start();
		agents.add(SIPP.agentUas("5001"));

		await().atMost(BOUND).untilAsserted(() -> {
			assertThat(api.get("/api/calls/active").status()).isEqualTo(200);
			assertThat(ok("/api/dn/5001").path("status").asString()).isEqualTo("available");
		});
		assertThat(ok("/api/health").path("components").path("kamailio").path("status").asString()).isEqualTo("up");
	}

	/** The types of the events about a subject (a DN, a call id, the Genesys server), oldest first. */
	private List<String> eventTypesOf(String subject) {
		return events.after(0, 1_000_000)
			.stream()
			.filter((stored) -> stored.event().subject().equals(subject))
			.map((stored) -> stored.event().type())
			.toList();
	}

	private JsonNode ok(String path) {
		Response response = api.get(path);
		assertThat(response.status()).as(path + " -> " + response).isEqualTo(200);
		assertThat(response.header("X-State-Age-Ms") != null || path.startsWith("/api/health")).as("age header")
			.isTrue();
		return response.json();
	}

	private static JsonNode entry(JsonNode list, String dn) {
		for (JsonNode entry : list.path("dns")) {
			if (dn.equals(entry.path("dn").asString())) {
				return entry;
			}
		}
		throw new AssertionError("DN " + dn + " not in " + list);
	}

}
