package org.signaling.api.events.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.StoredEvent;
import org.signaling.api.testsupport.TestCredentials;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/events} over a real HTTP connection: live events, filters, resume with Last-Event-ID, reset when
 * the gap is gone from the log, heartbeats, the same access rules as every other endpoint, an agent token confined
 * to its own DN, and at most {@code max-streams-per-credential} streams per credential.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.ssl.enabled=false", "signaling.kamailio.rpc-url=http://127.0.0.1:9/RPC",
				"signaling.kamailio.sip-domain=192.168.210.54", "signaling.genesys.server=192.168.210.81:5060",
				"signaling.events.heartbeat=200ms" })
class EventStreamTests {

	static final Duration BOUND = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	EventLog log;

	@Autowired
	EventStream eventStream;

	@Autowired
	DataSource dataSource;

	final HttpClient http = HttpClient.newHttpClient();

	final List<CompletableFuture<?>> streams = new ArrayList<>();

	@AfterEach
	void closeStreams() {
		streams.forEach((stream) -> stream.cancel(true));
	}

	@Test
	void streamsEventsAsTheyAreAppended() {
		List<String> lines = open("/api/events", null);
		awaitLine(lines, ":connected");

		StoredEvent busy = log.append("dn.busy", "dn", "7001", Map.of("dn", "7001", "status", "busy"));

		awaitLine(lines, "id:" + busy.event().id());
		assertThat(lines).contains("event:dn.busy");
		assertThat(lines.stream().filter((line) -> line.startsWith("data:")).findFirst().orElseThrow())
			.contains("\"subject\":\"7001\"")
			.contains("\"sequence\":")
			.contains("\"status\":\"busy\"");
	}

	/**
	 * Another replica appends to the same database between two events of this one. The stream here sends all three in
	 * the log's order: this replica's own event must not reach its ring of recent events ahead of the other's.
	 */
	@Test
	void anEventAnotherReplicaAppendedBetweenTwoOfThisOnesIsSentInItsPlace() {
		JdbcEventLog otherReplica = new JdbcEventLog(JdbcClient.create(dataSource),
				new TransactionTemplate(new DataSourceTransactionManager(dataSource)), JsonMapper.builder().build(),
				(committed) -> {
				}, Clock.systemUTC());
		List<String> lines = open("/api/events?dn=7010", null);
		awaitLine(lines, ":connected");
		StoredEvent first = log.append("dn.registered", "dn", "7010", Map.of("dn", "7010"));
		awaitLine(lines, "id:" + first.event().id());

		StoredEvent fromOther = otherReplica.append("dn.busy", "dn", "7010", Map.of("dn", "7010"));
		StoredEvent last = log.append("dn.available", "dn", "7010", Map.of("dn", "7010"));

		awaitLine(lines, "id:" + last.event().id());
		assertThat(lines.stream().filter((line) -> line.startsWith("id:")).toList()).containsExactly(
				"id:" + first.event().id(), "id:" + fromOther.event().id(), "id:" + last.event().id());
	}

	@Test
	void sendsOnlyWhatTheFiltersAskFor() {
		List<String> lines = open("/api/events?dn=7002&type=call.*", null);
		awaitLine(lines, ":connected");

		log.append("dn.busy", "dn", "7002", Map.of("dn", "7002"));
		log.append("call.initiated", "call", "call-x1", Map.of("dns", List.of("7003", "1003")));
		StoredEvent wanted = log.append("call.initiated", "call", "call-x2", Map.of("dns", List.of("7002", "1003")));
		StoredEvent marker = log.append("call.ended", "call", "call-x2", Map.of("dns", List.of("7002", "1003")));

		awaitLine(lines, "id:" + marker.event().id());
		assertThat(lines.stream().filter((line) -> line.startsWith("id:")).toList())
			.containsExactly("id:" + wanted.event().id(), "id:" + marker.event().id());
	}

	@Test
	void aClientReconnectingWithLastEventIdGetsWhatItMissed() {
		StoredEvent seen = log.append("dn.busy", "dn", "7004", Map.of());
		StoredEvent missed1 = log.append("dn.available", "dn", "7004", Map.of());
		StoredEvent missed2 = log.append("dn.unregistered", "dn", "7004", Map.of());

		List<String> lines = open("/api/events?dn=7004", seen.event().id());

		awaitLine(lines, "id:" + missed2.event().id());
		assertThat(lines.stream().filter((line) -> line.startsWith("id:")).toList())
			.containsExactly("id:" + missed1.event().id(), "id:" + missed2.event().id());
	}

	@Test
	void aGapNoLongerInTheLogIsAnExplicitReset() {
		List<String> lines = open("/api/events", "evt-" + "0123456789abcdef".repeat(2));

		awaitLine(lines, "event:reset");
	}

	@Test
	void idleStreamsGetHeartbeats() {
		List<String> lines = open("/api/events?dn=7999", null);

		awaitLine(lines, ":heartbeat");
	}

	@Test
	void badFiltersAre400AndNoCredentialIs401() throws Exception {
		assertThat(status("/api/events?type=call.exploded", TestCredentials.READER_KEY)).isEqualTo(400);
		assertThat(status("/api/events?dn=70%0A01", TestCredentials.READER_KEY)).isEqualTo(400);
		assertThat(status("/api/events", null)).isEqualTo(401);
	}

	@Test
	void streamsEndWhenTheServiceStopsSoGracefulShutdownDoesNotWaitForThem() throws Exception {
		List<String> lines = open("/api/events", null);
		awaitLine(lines, ":connected");
		CompletableFuture<?> stream = streams.get(streams.size() - 1);
		try {
			eventStream.stop();

			await().atMost(BOUND).until(stream::isDone);
			assertThat(status("/api/events", TestCredentials.READER_KEY)).isEqualTo(503);
		}
		finally {
			eventStream.start();
		}
	}

	@Test
	void aCredentialHoldsAtMostTwentyStreamsAndAClosedOneFreesItsPlace() throws Exception {
		String dashboard = bearer(TestCredentials.jwt("dashboard-" + UUID.randomUUID(), Map.of("scope", "read")));
		List<RawEventStream> held = new ArrayList<>();
		try {
			for (int i = 0; i < 20; i++) {
				held.add(RawEventStream.open(port, "/api/events", dashboard));
				assertThat(held.get(i).status()).isEqualTo(200);
			}

			try (RawEventStream refused = RawEventStream.open(port, "/api/events", dashboard)) {
				assertThat(refused.status()).isEqualTo(429);
				assertThat(refused.header("Retry-After")).matches("[1-9][0-9]*");
				assertThat(refused.body()).contains("\"error\":\"Too many event streams open for this credential");
			}
			String otherDashboard = bearer(TestCredentials.jwt("dashboard-" + UUID.randomUUID(),
					Map.of("scope", "read")));
			try (RawEventStream other = RawEventStream.open(port, "/api/events", otherDashboard)) {
				assertThat(other.status()).isEqualTo(200);
			}

			held.remove(0).close();
			// the service notices the client is gone at its next write (a heartbeat) and frees the place
			await().atMost(BOUND).untilAsserted(() -> {
				RawEventStream again = RawEventStream.open(port, "/api/events", dashboard);
				if (again.status() == 200) {
					held.add(again);
				}
				else {
					again.close();
				}
				assertThat(again.status()).isEqualTo(200);
			});
		}
		finally {
			for (RawEventStream stream : held) {
				stream.close();
			}
		}
	}

	@Test
	void anAgentTokenGetsOnlyItsOwnDnsEventsWhateverItAsksFor() {
		String agent = bearer(TestCredentials.jwt("agent-7101", Map.of("scope", "read", "dn", "7101")));
		List<String> everything = open("/api/events", null, agent);
		List<String> askingForMore = open("/api/events?dn=7101,7102&type=dn.*,genesys.*,backend.*", null, agent);
		awaitLine(everything, ":connected");
		awaitLine(askingForMore, ":connected");

		log.append("dn.busy", "dn", "7102", Map.of("dn", "7102", "status", "busy"));
		StoredEvent ownDn = log.append("dn.busy", "dn", "7101", Map.of("dn", "7101", "status", "busy"));
		log.append("call.initiated", "call", "call-o1", Map.of("from_dn", "7102", "dns", List.of("7102", "1003")));
		StoredEvent ownCall = log.append("call.initiated", "call", "call-o2",
				Map.of("from_dn", "1003", "dns", List.of("1003", "7101")));
		log.append("genesys.down", "genesys", "192.168.210.81:5060",
				Map.of("server", "192.168.210.81:5060", "dn", "7101"));
		log.append("backend.down", "backend", "kamailio", Map.of("backend", "kamailio", "dn", "7101"));
		StoredEvent marker = log.append("dn.available", "dn", "7101", Map.of("dn", "7101", "status", "available"));

		awaitLine(everything, "id:" + marker.event().id());
		assertThat(ids(everything)).containsExactly("id:" + ownDn.event().id(), "id:" + ownCall.event().id(),
				"id:" + marker.event().id());
		awaitLine(askingForMore, "id:" + marker.event().id());
		assertThat(ids(askingForMore)).containsExactly("id:" + ownDn.event().id(), "id:" + marker.event().id());
	}

	@Test
	void anAgentAskingOnlyForOtherDnsIs403() throws Exception {
		String agent = bearer(TestCredentials.jwt("agent-7101", Map.of("scope", "read", "dn", "7101")));
		try (RawEventStream refused = RawEventStream.open(port, "/api/events?dn=7102,7103", agent)) {
			assertThat(refused.status()).isEqualTo(403);
			assertThat(refused.body()).contains("\"error\":");
		}
	}

	@Test
	void keysAndSupervisorTokensStillSeeEveryDn() {
		String supervisor = bearer(
				TestCredentials.jwt("supervisor-7100", Map.of("scope", "read supervise", "dn", "7100")));
		List<String> asSupervisor = open("/api/events?dn=7201,7202", null, supervisor);
		List<String> withKey = open("/api/events?dn=7201,7202", null);
		awaitLine(asSupervisor, ":connected");
		awaitLine(withKey, ":connected");

		StoredEvent first = log.append("dn.busy", "dn", "7201", Map.of("dn", "7201"));
		StoredEvent second = log.append("dn.busy", "dn", "7202", Map.of("dn", "7202"));

		for (List<String> lines : List.of(asSupervisor, withKey)) {
			awaitLine(lines, "id:" + second.event().id());
			assertThat(ids(lines)).containsExactly("id:" + first.event().id(), "id:" + second.event().id());
		}
	}

	private static List<String> ids(List<String> lines) {
		return lines.stream().filter((line) -> line.startsWith("id:")).toList();
	}

	private static String bearer(String token) {
		return "Authorization: Bearer " + token;
	}

	private List<String> open(String path, String lastEventId) {
		return open(path, lastEventId, "X-API-Key: " + TestCredentials.READER_KEY);
	}

	private List<String> open(String path, String lastEventId, String credentialHeader) {
		int colon = credentialHeader.indexOf(':');
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header(credentialHeader.substring(0, colon), credentialHeader.substring(colon + 1).trim())
			.header("Accept", "text/event-stream");
		if (lastEventId != null) {
			request.header("Last-Event-ID", lastEventId);
		}
		List<String> lines = new CopyOnWriteArrayList<>();
		CompletableFuture<HttpResponse<Stream<String>>> response = http.sendAsync(request.build(),
				HttpResponse.BodyHandlers.ofLines());
		streams.add(response.thenAcceptAsync((answer) -> {
			try (Stream<String> body = answer.body()) {
				body.forEach((line) -> lines.add(line.replace("id: ", "id:").replace("event: ", "event:")));
			}
			catch (UncheckedIOException ex) {
				// The test closed the stream.
			}
		}));
		return lines;
	}

	private int status(String path, String key) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.timeout(Duration.ofSeconds(5));
		if (key != null) {
			request.header("X-API-Key", key);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	private static void awaitLine(List<String> lines, String line) {
		await().atMost(BOUND).untilAsserted(() -> assertThat(lines).contains(line));
	}

}
