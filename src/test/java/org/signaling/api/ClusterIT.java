package org.signaling.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.EventTypes;
import org.signaling.api.events.StoredEvent;
import org.signaling.api.shared.Leadership;
import org.signaling.api.testsupport.ApiClient;
import org.signaling.api.testsupport.ApiClient.Response;
import org.signaling.api.testsupport.CallEventAssertions;
import org.signaling.api.testsupport.KamailioProcess;
import org.signaling.api.testsupport.LiveService;
import org.signaling.api.testsupport.PostgresProcess;
import org.signaling.api.testsupport.Sipp;
import org.signaling.api.testsupport.TestTls;
import org.signaling.api.testsupport.WebSocketAgent;
import org.signaling.api.testsupport.ami.AmiServerDouble;
import org.signaling.api.testsupport.ami.CallScript;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of the service, as a load balancer would see them: two processes' worth of application contexts on
 * one PostgreSQL, one real Kamailio (SIPp and WebSocket agents) and one Asterisk (the AMI double). A call made
 * through one is read, replayed and hung up through the other; an event stream resumes on the other; and when the
 * leader goes, the other takes over its duties with no event lost or doubled.
 */
class ClusterIT {

	static final Duration BOUND = Duration.ofSeconds(30);

	static final TestTls TLS = TestTls.create();

	static final PostgresProcess POSTGRES = PostgresProcess.start();

	static final KamailioProcess KAMAILIO = KamailioProcess.start("127.0.0.1:9");

	static final Sipp SIPP = new Sipp(KAMAILIO);

	static final AmiServerDouble ASTERISK = LiveService.startAsterisk();

	/** The running replicas, oldest first; every test starts with two. */
	static final List<ConfigurableApplicationContext> REPLICAS = new ArrayList<>();

	final List<AutoCloseable> agents = new ArrayList<>();

	@BeforeEach
	void twoReplicas() {
		ASTERISK.calls().defaultScript(CallScript.ANSWER_AND_BRIDGE).resumeEvents();
		while (REPLICAS.size() < 2) {
			REPLICAS.add(startReplica());
		}
		await().atMost(BOUND).until(() -> REPLICAS.stream().filter((replica) -> leads(replica)).count() == 1);
	}

	@AfterEach
	void stopAgents() throws Exception {
		api(REPLICAS.get(0)).hangUpEveryCallOf("5001", "5007");
		for (AutoCloseable agent : agents) {
			agent.close();
		}
		agents.clear();
		CallEventAssertions.awaitEveryCallEndedExactlyOnce(log(REPLICAS.get(0)), BOUND);
	}

	@AfterAll
	static void stopAll() {
		REPLICAS.forEach(ConfigurableApplicationContext::close);
		SIPP.close();
		KAMAILIO.close();
		ASTERISK.close();
		POSTGRES.close();
	}

	@Test
	void aCallMadeThroughOneReplicaIsReplayedListedAndHungUpThroughTheOther() {
		ApiClient viaA = api(REPLICAS.get(0));
		ApiClient viaB = api(REPLICAS.get(1));
		agents.add(SIPP.agentUas("5001"));
		await().atMost(BOUND).until(() -> "available".equals(viaA.get("/api/dn/5001").json().path("status").asString())
				&& "available".equals(viaB.get("/api/dn/5001").json().path("status").asString()));
		String body = "{\"from\":\"5001\",\"to\":\"5551239001\"}";

		Response made = viaA.post("/api/call/make", body, "Idempotency-Key", "cluster-replay-1");
		Response replayed = viaB.post("/api/call/make", body, "Idempotency-Key", "cluster-replay-1");

		assertThat(made.status()).as(made.toString()).isEqualTo(202);
		String callId = made.json().path("call_id").asString();
		assertThat(replayed.status()).as(replayed.toString()).isEqualTo(202);
		assertThat(replayed.json().path("call_id").asString()).isEqualTo(callId);
		assertThat(ASTERISK.receivedActions("Originate").stream().filter((a) -> "5551239001".equals(a.get("Exten"))))
			.as("dialed once").hasSize(1);

		await().atMost(BOUND)
			.until(() -> "confirmed".equals(viaB.get("/api/calls/" + callId).json().path("state").asString()));
		await().atMost(BOUND).untilAsserted(
				() -> assertThat(viaB.listedCall("5001", callId).path("state").asString()).isEqualTo("confirmed"));

		Response hangup = viaB.post("/api/call/hangup", "{\"call_id\":\"" + callId + "\"}");

		assertThat(hangup.status()).as(hangup.toString()).isEqualTo(200);
		assertThat(hangup.json().path("status").asString()).isEqualTo("terminated");
		for (ApiClient via : List.of(viaA, viaB)) {
			await().atMost(BOUND).untilAsserted(() -> {
				JsonNode ended = via.get("/api/calls/" + callId).json();
				assertThat(ended.path("state").asString()).isEqualTo("ended");
				assertThat(ended.path("end_cause").asString()).isEqualTo("hangup_api");
			});
			await().atMost(BOUND)
				.until(() -> via.get("/api/calls/dn/5001").json().path("count").asInt() == 0);
		}
		await().atMost(BOUND).until(() -> typesOf(callId).contains(EventTypes.CALL_ENDED));
		assertThat(typesOf(callId)).startsWith(EventTypes.CALL_INITIATED)
			.endsWith(EventTypes.CALL_ENDED)
			.containsOnlyOnce(EventTypes.CALL_INITIATED, EventTypes.CALL_ANSWERED, EventTypes.CALL_ENDED);
	}

	@Test
	void anEventStreamLeftOnOneReplicaResumesOnTheOtherWithNoGap() throws Exception {
		String mark = lastEventId();
		agents.add(WebSocketAgent.register(KAMAILIO, "5004"));
		agents.add(WebSocketAgent.register(KAMAILIO, "5005"));
		await().atMost(BOUND).until(() -> eventsAfter(mark).size() >= 2);
		List<String> expected = eventsAfter(mark).stream().map((stored) -> stored.event().id()).toList();

		List<String> seenOnA = api(REPLICAS.get(0)).eventIdsAfter(mark, 1, BOUND);
		List<String> seenOnB = api(REPLICAS.get(1)).eventIdsAfter(seenOnA.get(0), expected.size() - 1, BOUND);

		List<String> seen = new ArrayList<>(seenOnA);
		seen.addAll(seenOnB);
		assertThat(seen).isEqualTo(expected);
	}

	@Test
	void whenTheLeaderStopsTheOtherReplicaTakesOverAndEveryChangeIsAnnouncedOnce() throws Exception {
		ConfigurableApplicationContext leader = REPLICAS.stream().filter(ClusterIT::leads).findFirst().orElseThrow();
		ConfigurableApplicationContext other = REPLICAS.stream().filter((r) -> r != leader).findFirst().orElseThrow();
		ApiClient viaOther = api(other);
		WebSocketAgent browser = WebSocketAgent.register(KAMAILIO, "5006");
		agents.add(browser);
		agents.add(SIPP.agentUas("5007"));
		agents.add(SIPP.call("5008", "5007"));
		String callId = await().atMost(BOUND).until(() -> answeredCallOf(viaOther, "5007"), (id) -> id != null);
		await().atMost(BOUND).until(() -> typesOf(callId).contains(EventTypes.CALL_ANSWERED)
				&& typesOf("5006").contains(EventTypes.DN_REGISTERED));

		leader.close();
		REPLICAS.remove(leader);
		// Meanwhile, with no replica leading yet: the agent's tab closes, and the call is hung up.
		browser.close();
		assertThat(viaOther.post("/api/call/hangup", "{\"call_id\":\"" + callId + "\"}").status()).isEqualTo(200);

		await().atMost(BOUND).until(() -> leads(other));
		await().atMost(BOUND).until(() -> typesOf("5006").contains(EventTypes.DN_UNREGISTERED)
				&& typesOf(callId).contains(EventTypes.CALL_ENDED));
		assertThat(typesOf("5006")).containsExactly(EventTypes.DN_REGISTERED, EventTypes.DN_UNREGISTERED);
		assertThat(typesOf(callId)).containsExactly(EventTypes.CALL_INITIATED, EventTypes.CALL_ANSWERED,
				EventTypes.CALL_ENDED);
		assertThat(viaOther.get("/api/calls/history?dn=5007").json().path("calls").path(0).path("call_id")
			.asString()).isEqualTo(callId);
	}

	private static ConfigurableApplicationContext startReplica() {
		Map<String, Object> properties = new HashMap<>();
		DynamicPropertyRegistry registry = (name, value) -> properties.put(name, value.get());
		LiveService.register(registry, TLS, KAMAILIO, "127.0.0.1:9");
		LiveService.registerAsterisk(registry, ASTERISK);
		properties.put("server.port", "0");
		properties.put("spring.datasource.url", POSTGRES.jdbcUrl());
		properties.put("spring.datasource.username", POSTGRES.username());
		properties.put("spring.datasource.password", "");
		properties.put("signaling.cluster.leader-lease", "2s");
		properties.put("signaling.calls.reconcile-interval", "500ms");
		properties.put("signaling.calls.reconcile-grace", "1s");
		// As arguments: above application-test.yml (its in-memory database), as a deployment's settings would be.
		String[] arguments = properties.entrySet()
			.stream()
			.map((property) -> "--" + property.getKey() + "=" + property.getValue())
			.toArray(String[]::new);
		return new SpringApplicationBuilder(SignalingApiApplication.class).profiles("test").run(arguments);
	}

	private static boolean leads(ConfigurableApplicationContext replica) {
		return replica.getBean(Leadership.class).isLeader();
	}

	private static ApiClient api(ConfigurableApplicationContext replica) {
		int port = ((WebServerApplicationContext) replica).getWebServer().getPort();
		return new ApiClient("https://localhost:" + port, TLS.clientContext());
	}

	private static EventLog log(ConfigurableApplicationContext replica) {
		return replica.getBean(EventLog.class);
	}

	private static List<String> typesOf(String subject) {
		return log(REPLICAS.get(0)).after(0, 1_000_000)
			.stream()
			.filter((stored) -> stored.event().subject().equals(subject))
			.map((stored) -> stored.event().type())
			.toList();
	}

	/** The newest event's id; the log is never empty here (the leader announced the backends up). */
	private static String lastEventId() {
		await().atMost(BOUND).until(() -> log(REPLICAS.get(0)).lastPosition() > 0);
		List<StoredEvent> all = log(REPLICAS.get(0)).after(0, 1_000_000);
		return all.get(all.size() - 1).event().id();
	}

	private static List<StoredEvent> eventsAfter(String eventId) {
		EventLog log = log(REPLICAS.get(0));
		return log.after(log.positionOf(eventId).orElseThrow(), 1_000_000);
	}

	private static String answeredCallOf(ApiClient api, String dn) {
		JsonNode calls = api.get("/api/calls/dn/" + dn).json().path("active_calls");
		return (calls.size() == 1 && "confirmed".equals(calls.path(0).path("state").asString()))
				? calls.path(0).path("call_id").asString() : null;
	}

}
