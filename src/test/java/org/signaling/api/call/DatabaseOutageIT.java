package org.signaling.api.call;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.EventTypes;
import org.signaling.api.events.StoredEvent;
import org.signaling.api.testsupport.ApiClient;
import org.signaling.api.testsupport.FreePorts;
import org.signaling.api.testsupport.KamailioProcess;
import org.signaling.api.testsupport.LiveService;
import org.signaling.api.testsupport.PostgresProcess;
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
 * A call that ends while PostgreSQL is down: the service (over TLS, a real Kamailio, SIPp agents, PostgreSQL as in
 * production) keeps answering reads from memory, retries recording the end, and once the database is back the call
 * has exactly one {@code call.ended} and a complete history row.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DatabaseOutageIT {

	static final Duration BOUND = Duration.ofSeconds(30);

	static final TestTls TLS = TestTls.create();

	static final PostgresProcess POSTGRES = PostgresProcess.start();

	static final int GENESYS_PORT = FreePorts.udp();

	static final KamailioProcess KAMAILIO = KamailioProcess.start("127.0.0.1:" + GENESYS_PORT);

	static final Sipp SIPP = new Sipp(KAMAILIO);

	@LocalServerPort
	int port;

	@Autowired
	EventLog events;

	@Autowired
	MeterRegistry meters;

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		LiveService.register(registry, TLS, KAMAILIO, "127.0.0.1:" + GENESYS_PORT);
		registry.add("spring.datasource.url", POSTGRES::jdbcUrl);
		registry.add("spring.datasource.username", POSTGRES::username);
		registry.add("spring.datasource.password", () -> "");
		// An outage is noticed within a second rather than after Hikari's default 30 s wait for a connection.
		registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
	}

	@AfterAll
	static void stop() {
		SIPP.close();
		KAMAILIO.close();
		POSTGRES.close();
	}

	@Test
	void aCallEndingWhileTheDatabaseIsDownEndsExactlyOnceWhenItIsBack() throws Exception {
		ApiClient api = new ApiClient("https://localhost:" + port, TLS.clientContext());
		try (Sipp.Agent callee = SIPP.agentUas("5002"); Sipp.Agent caller = SIPP.call("5001", "5002")) {
			String callId = await().atMost(BOUND).until(() -> answeredCallOf(api, "5001"), (id) -> id != null);
			await().atMost(BOUND).until(() -> typesOf(callId).contains(EventTypes.CALL_ANSWERED));

			POSTGRES.stop();
			double failuresBefore = failures();
			assertThat(api.post("/api/call/hangup", "{\"call_id\":\"" + callId + "\"}").status()).isEqualTo(200);

			// The service keeps trying to record the end, and answers what it can from memory meanwhile.
			await().atMost(BOUND).until(() -> failures() > failuresBefore);
			assertThat(api.get("/api/calls/active").status()).isEqualTo(200);
			assertThat(api.get("/api/calls/dn/5001").json().path("count").asInt()).isZero();
			ApiClient.Response history = api.get("/api/calls/history?dn=5001");
			assertThat(history.status()).isEqualTo(503);
			assertThat(history.json().path("error").asString()).isEqualTo("Database unavailable");

			POSTGRES.startAgain();

			await().atMost(BOUND).untilAsserted(() -> {
				JsonNode entry = api.get("/api/calls/history?dn=5001").json().path("calls").path(0);
				assertThat(entry.path("call_id").asString()).isEqualTo(callId);
				assertThat(entry.path("end_cause").asString()).isEqualTo("hangup");
				assertThat(entry.path("answered_at").isNumber()).isTrue();
			});
			// Many refreshes later, still exactly one end.
			double refreshes = refreshes();
			await().atMost(BOUND).until(() -> refreshes() >= refreshes + 10);
			assertThat(typesOf(callId)).containsExactly(EventTypes.CALL_INITIATED, EventTypes.CALL_ANSWERED,
					EventTypes.CALL_ENDED);
		}
	}

	private static String answeredCallOf(ApiClient api, String dn) {
		JsonNode calls = api.get("/api/calls/dn/" + dn).json().path("active_calls");
		return (calls.size() == 1 && "confirmed".equals(calls.path(0).path("state").asString()))
				? calls.path(0).path("call_id").asString() : null;
	}

	private List<String> typesOf(String callId) {
		return events.after(0, 10_000)
			.stream()
			.map(StoredEvent::event)
			.filter((event) -> event.subject().equals(callId))
			.map((event) -> event.type())
			.toList();
	}

	private double failures() {
		return meters.counter("signaling.calls.sync.failures").count();
	}

	private double refreshes() {
		return meters.find("signaling.kamailio.refresh").tag("method", "dlg.list").timers().stream()
			.mapToLong((timer) -> timer.count())
			.sum();
	}

}
