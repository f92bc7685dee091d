package org.signaling.api.hostile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.hostile.HostileRequest.Credential;
import org.signaling.api.testsupport.ApiClient;
import org.signaling.api.testsupport.FreePorts;
import org.signaling.api.testsupport.KamailioProcess;
import org.signaling.api.testsupport.LiveService;
import org.signaling.api.testsupport.Sipp;
import org.signaling.api.testsupport.TestTls;
import org.signaling.api.testsupport.ami.AmiMessage;
import org.signaling.api.testsupport.ami.AmiServerDouble;
import org.signaling.api.testsupport.ami.CallScript;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;
import static org.signaling.api.hostile.HttpCorpus.AGENT;
import static org.signaling.api.hostile.HttpCorpus.OTHER_AGENT;

/**
 * The hostile HTTP corpus ({@link HttpCorpus}, fixed seed) against the real service over TLS, a real Kamailio with
 * the two agents registered, the Genesys responder up and the AMI server double as Asterisk: no request gets a 5xx,
 * every error is {@code {"error": "..."}}, nothing a request was refused for reaches Asterisk, and the read API
 * answers afterwards. Each test reports every violation it found, not only the first.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HostileRequestsIT {

	static final Duration BOUND = Duration.ofSeconds(30);

	static final int GENESYS_PORT = FreePorts.udp();

	static final TestTls TLS = TestTls.create();

	static final KamailioProcess KAMAILIO = KamailioProcess.start("127.0.0.1:" + GENESYS_PORT);

	static final Sipp SIPP = new Sipp(KAMAILIO);

	static final AmiServerDouble ASTERISK = LiveService.startAsterisk();

	/** Every backend is up in this corpus, so no 5xx is ever excused. */
	static final Sipp.Agent GENESYS = SIPP.genesysResponder(GENESYS_PORT);

	static final AtomicInteger REQUESTS = new AtomicInteger();

	static final AtomicInteger SERVER_ERRORS = new AtomicInteger();

	static final JsonMapper JSON = JsonMapper.builder().build();

	static {
		SIPP.register(AGENT);
		SIPP.register(OTHER_AGENT);
	}

	@LocalServerPort
	int port;

	ApiClient api;

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		LiveService.register(registry, TLS, KAMAILIO, "127.0.0.1:" + GENESYS_PORT);
		LiveService.registerAsterisk(registry, ASTERISK);
		// An event stream's head goes out with its first write, and a stream the corpus closed at once is noticed at
		// the next one: a short heartbeat keeps both quick.
		registry.add("signaling.events.heartbeat", () -> "200ms");
	}

	@BeforeEach
	void backendsUp() {
		api = new ApiClient("https://localhost:" + port, TLS.clientContext());
		// Every call the corpus places ends at once (the agent is busy): no call outlives its request.
		ASTERISK.calls().defaultScript(CallScript.AGENT_BUSY).manualStepping(false).resumeEvents();
		await().atMost(BOUND).until(() -> "up".equals(api.componentStatus("asterisk")));
		await().atMost(BOUND).until(() -> "up".equals(api.componentStatus("genesys")));
		await().atMost(BOUND)
			.until(() -> api.get("/api/dn/" + AGENT).json().path("registered").asBoolean()
					&& api.get("/api/dn/" + OTHER_AGENT).json().path("registered").asBoolean());
	}

	@AfterAll
	static void stopBackends() {
		System.out.println("[corpus] http: " + REQUESTS.get() + " requests, " + SERVER_ERRORS.get() + " 5xx (seed 0x"
				+ Long.toHexString(HttpCorpus.SEED) + ")");
		SIPP.close();
		KAMAILIO.close();
		ASTERISK.close();
	}

	/**
	 * The first thing the corpus must catch (issue 10): a DN calling itself answered 500 and left a record that made
	 * every read endpoint answer 500 for good. The call is held ringing as a real one would be; the context is
	 * discarded afterwards so what this leaves behind cannot spoil the other tests.
	 */
	@Test
	@DirtiesContext(methodMode = DirtiesContext.MethodMode.AFTER_METHOD)
	void callingADnFromItselfIs422AndTheReadApiKeepsAnswering() {
		Violations violations = new Violations("make from a DN to itself");
		ASTERISK.calls().defaultScript(CallScript.AGENT_RINGING_FOREVER);
		try (HttpCorpusRunner runner = runner()) {
			for (Credential credential : List.of(Credential.ADMIN, Credential.CALLER)) {
				for (String dn : List.of(AGENT, OTHER_AGENT)) {
					runner.send(HostileRequest
						.post("make " + dn + " -> " + dn + " (" + credential + ")", HttpCorpus.MAKE,
								JSON.writeValueAsBytes(Map.of("from", dn, "to", dn)))
						.as(credential)
						.expect(422)
						.expectError("Cannot call a DN from itself")
						.build(), violations);
				}
			}
			readApiAnswers(violations, List.of());
			report("make from a DN to itself", runner);
		}
		finally {
			ASTERISK.calls().defaultScript(CallScript.AGENT_BUSY);
		}
		violations.assertNone();
	}

	@Test
	void hostileDnsInPathsAndQueriesAreRefusedWithoutA5xx() {
		runWithoutCallsPlaced("DNs in paths and queries", "dns", HttpCorpus.dnRequests());
	}

	@Test
	void hostileMakeBodiesAreRefusedWithoutA5xxAndNeverReachAsterisk() {
		Violations violations = new Violations("POST /api/call/make bodies");
		try (HttpCorpusRunner runner = runner()) {
			AmiMessage before = runner.lastAmiMessage();

			runner.run(HttpCorpus.makeRequests(), violations);

			// Each accepted make dialled exactly once, and nothing else dialled at all (also not after its answer).
			List<String> originated = runner.originatedSince(before);
			List<String> placed = runner.acceptedCallIds();
			violations.check(originated.equals(placed),
					"%d Originate actions for %d accepted makes; Originates without an accepted make: %s",
					originated.size(), placed.size(), without(originated, placed));
			readApiAnswers(violations, placed.isEmpty() ? List.of() : List.of(placed.get(placed.size() - 1)));
			report("make", runner);
		}
		violations.assertNone();
	}

	@Test
	void hostileHangupBodiesAreRefusedWithoutA5xxAndNeverReachAsterisk() {
		runWithoutCallsPlaced("POST /api/call/hangup bodies", "hangup", HttpCorpus.hangupRequests());
	}

	@Test
	void hostileHeadersMethodsAndTargetsAreRefusedWithoutA5xx() {
		runWithoutCallsPlaced("headers, methods, request targets", "headers", HttpCorpus.headerRequests());
	}

	/** A corpus that places no call: no 5xx, the contract's answers, and the reads still answering afterwards. */
	private void runWithoutCallsPlaced(String description, String corpus, List<HostileRequest> requests) {
		Violations violations = new Violations(description);
		try (HttpCorpusRunner runner = runner()) {
			runner.run(requests, violations);

			readApiAnswers(violations, List.of());
			report(corpus, runner);
		}
		violations.assertNone();
	}

	private HttpCorpusRunner runner() {
		return new HttpCorpusRunner(TLS.clientContext(), port, ASTERISK);
	}

	/** After a corpus every read endpoint still answers 200 with JSON, also for a call the corpus placed. */
	private void readApiAnswers(Violations violations, List<String> callIds) {
		List<String> paths = new ArrayList<>(List.of("/api/health", "/api/calls/active", "/api/dn/list",
				"/api/dn/" + AGENT, "/api/dn/" + OTHER_AGENT, "/api/calls/dn/" + AGENT, "/api/calls/dn/" + OTHER_AGENT,
				"/api/calls/history", "/api/calls/history?dn=" + AGENT, "/api/genesys/status"));
		callIds.forEach((callId) -> paths.add("/api/calls/" + callId));
		for (String path : paths) {
			try {
				ApiClient.Response response = api.get(path);
				violations.check(response.status() == 200 && isJson(response), "afterwards GET %s: %s", path,
						Violations.shown(response.toString()));
			}
			catch (RuntimeException ex) {
				violations.add("afterwards GET %s: no answer (%s)", path, ex);
			}
		}
	}

	private static boolean isJson(ApiClient.Response response) {
		try {
			return !response.json().isMissingNode();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static void report(String corpus, HttpCorpusRunner runner) {
		REQUESTS.addAndGet(runner.sent());
		SERVER_ERRORS.addAndGet(runner.serverErrors());
		System.out.println("[corpus] http/" + corpus + ": " + runner.summary());
	}

	private static List<String> without(List<String> all, List<String> known) {
		List<String> rest = new ArrayList<>(all);
		rest.removeAll(known);
		return rest;
	}

}
