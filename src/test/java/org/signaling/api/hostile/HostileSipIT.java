package org.signaling.api.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.EventTypes;
import org.signaling.api.events.StoredEvent;
import org.signaling.api.hostile.SipCorpus.Dialog;
import org.signaling.api.hostile.SipCorpus.Registration;
import org.signaling.api.testsupport.ApiClient;
import org.signaling.api.testsupport.FreePorts;
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
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;
import static org.signaling.api.hostile.SipCorpus.CALLEE;
import static org.signaling.api.hostile.SipCorpus.CALLER;

/**
 * The hostile SIP corpus ({@link SipCorpus}) through a real Kamailio to the service over TLS: dialogs and
 * registrations with oversized and odd From, To, Call-ID, headers and User-Agents, from SIPp and, for raw non-UTF-8
 * bytes, from Java. While they live and after they end every read endpoint answers 200 with JSON, every value that
 * came from SIP is shown bounded and sanitized, a normal call placed meanwhile gets its events and history, and each
 * hostile call gets exactly one end. Each test reports every violation it found, and prints what Kamailio accepted.
 *
 * <p>
 * Kamailio authenticates agents, so the corpus takes the paths by which hostile values still reach the service: the
 * INVITEs from a trusted peer's address ({@link KamailioProcess#TRUSTED_PEER_IP}: a Genesys SIP Server or an SBC
 * relays what a caller wrote), the REGISTERs with credentials for their AoR user. What Kamailio must accept and refuse
 * follows from rules ({@link #checkRelayed}, {@link #checkRegistered}), so a corpus that no longer reaches the
 * service fails instead of passing with nothing to check. The same INVITEs from an agent's address without
 * credentials must all be refused before the service sees anything.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HostileSipIT {

	static final Duration BOUND = Duration.ofSeconds(30);

	/** How long the service may take to show a change Kamailio already shows (it refreshes every 200 ms). */
	static final Duration SHOWN_WITHIN = Duration.ofSeconds(10);

	static final int GENESYS_PORT = FreePorts.udp();

	static final TestTls TLS = TestTls.create();

	static final KamailioProcess KAMAILIO = KamailioProcess.start("127.0.0.1:" + GENESYS_PORT);

	static final Sipp SIPP = new Sipp(KAMAILIO);

	static final Sipp.Agent GENESYS = SIPP.genesysResponder(GENESYS_PORT);

	static final AtomicInteger MESSAGES = new AtomicInteger();

	static final AtomicInteger ACCEPTED = new AtomicInteger();

	static final AtomicInteger SERVER_ERRORS = new AtomicInteger();

	static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	EventLog events;

	ApiClient api;

	final List<AutoCloseable> agents = new ArrayList<>();

	@DynamicPropertySource
	static void kamailio(DynamicPropertyRegistry registry) {
		LiveService.register(registry, TLS, KAMAILIO, "127.0.0.1:" + GENESYS_PORT);
	}

	@BeforeEach
	void callee() {
		api = new ApiClient("https://localhost:" + port, TLS.clientContext());
		agents.add(SIPP.agentUas(CALLEE));
		// The caller too: the read endpoints are asked about its calls, and a DN that is neither registered nor in a
		// directory is a 404. Tests run in any order: none may count on another having registered it.
		SIPP.register(CALLER);
		await().atMost(BOUND).until(() -> api.get("/api/dn/" + CALLEE).json().path("registered").asBoolean()
				&& api.get("/api/dn/" + CALLER).json().path("registered").asBoolean());
	}

	/** Ends every dialog this test left in Kamailio and waits until they are gone, so the next test starts clean. */
	@AfterEach
	void endEverything() throws Exception {
		for (JsonNode dialog : kamailioDialogs()) {
			if (dialog.path("state").asInt() < 5) {
				KAMAILIO.rpc().call("dlg.end_dlg", dialog.path("h_entry").asLong(), dialog.path("h_id").asLong());
			}
		}
		for (AutoCloseable agent : agents) {
			agent.close();
		}
		agents.clear();
		try {
			await().atMost(BOUND).until(() -> kamailioDialogs().isEmpty());
		}
		catch (ConditionTimeoutException ex) {
			System.out.println("[corpus] sip: Kamailio still lists " + kamailioDialogs().size() + " dialog(s) after "
					+ BOUND);
		}
	}

	@AfterAll
	static void stopBackends() {
		System.out.println("[corpus] sip: " + MESSAGES.get() + " messages (" + ACCEPTED.get()
				+ " accepted by Kamailio), " + SERVER_ERRORS.get() + " 5xx");
		SIPP.close();
		KAMAILIO.close();
	}

	@Test
	void hostileDialogsStopNoOtherCallAndAreShownSanitized() throws Exception {
		Violations violations = new Violations("hostile dialogs (SIPp, from a trusted peer)");
		long start = events.lastPosition();
		Map<Dialog, Outcome> outcomes = new LinkedHashMap<>();
		for (Map.Entry<Dialog, Sipp.Agent> caller : sippCallers("trusted", true).entrySet()) {
			outcomes.put(caller.getKey(), awaitOutcome(caller.getKey(), caller.getValue()));
		}
		checkRelayed(outcomes, violations);

		// SIPp callers hold their calls until a BYE comes: the API's hang-up, or Kamailio's dlg.end_dlg.
		alongsideANormalCall(start, outcomes, violations, (dialog) -> {
		});

		report("dialogs", outcomes);
		violations.assertNone();
	}

	@Test
	void rawNonUtf8BytesInADialogStopNoOtherCallAndAreShownSanitized() {
		Violations violations = new Violations("dialogs with raw non-UTF-8 bytes (Java, from a trusted peer)");
		long start = events.lastPosition();
		Map<Dialog, Outcome> outcomes = new LinkedHashMap<>();
		Map<String, RawSip.SipCall> placed = new LinkedHashMap<>();
		RawSip raw = new RawSip(KamailioProcess.LISTEN_IP, KAMAILIO.sipPort(), KamailioProcess.TRUSTED_PEER_IP);
		agents.add(raw);
		for (Dialog dialog : SipCorpus.rawDialogs()) {
			RawSip.SipCall call = raw.invite(dialog.fromUri(), dialog.callId(), CALLEE, dialog.tag());
			placed.put(dialog.tag(), call);
			outcomes.put(dialog, new Outcome(call.status(), kamailioDialog(dialog.tag()).isPresent()));
		}
		checkRelayed(outcomes, violations);
		measureRawBytes("dlg.list");

		// Each caller hangs up the dialogs the API did not end by itself.
		alongsideANormalCall(start, outcomes, violations, (dialog) -> {
			RawSip.SipCall call = placed.get(dialog.tag());
			if (call != null && call.answered()) {
				raw.bye(call);
			}
		});

		report("raw dialogs", outcomes);
		violations.assertNone();
	}

	/**
	 * The same INVITEs from an agent's address without credentials, as anyone on the agents' network could send them:
	 * Kamailio challenges every one (407) or refuses it as malformed before that (its sanity checks: 400 or no
	 * answer), relays none, and the service sees nothing of them (no call in {@code /api/calls/active} once it has
	 * looked at Kamailio after the last answer, no call beginning in the events) and keeps answering.
	 */
	@Test
	void hostileDialogsFromAnAgentWithoutCredentialsNeverReachTheService() throws Exception {
		Violations violations = new Violations("hostile dialogs from an agent without credentials");
		await().atMost(BOUND).until(() -> kamailioDialogs().isEmpty());
		long start = events.lastPosition();
		Map<Dialog, Outcome> outcomes = new LinkedHashMap<>();
		for (Map.Entry<Dialog, Sipp.Agent> caller : sippCallers("agent", false).entrySet()) {
			outcomes.put(caller.getKey(), awaitOutcome(caller.getKey(), caller.getValue()));
		}
		RawSip raw = new RawSip(KamailioProcess.LISTEN_IP, KAMAILIO.sipPort());
		agents.add(raw);
		for (Dialog dialog : SipCorpus.rawDialogs()) {
			RawSip.SipCall call = raw.invite(dialog.fromUri(), dialog.callId(), CALLEE, dialog.tag());
			outcomes.put(dialog, new Outcome(call.status(), kamailioDialog(dialog.tag()).isPresent()));
		}
		Instant answered = Instant.now();

		outcomes.forEach((dialog, outcome) -> {
			MESSAGES.incrementAndGet();
			if (outcome.inDialog()) {
				ACCEPTED.incrementAndGet();
			}
			violations.check(!outcome.inDialog() && (outcome.status() == 407 || outcome.refusedAsMalformed()),
					"%s (%s) from an agent without credentials: %s, expected 407 (or 400 / no answer from the sanity "
							+ "checks) and no dialog",
					dialog.tag(), dialog.description(), outcome);
		});
		List<String> hostileDialogs = kamailioDialogs().stream()
			.map((dialog) -> dialog.path("caller").path("tag").asString(""))
			.filter((tag) -> tag.startsWith("hostile-"))
			.toList();
		violations.check(hostileDialogs.isEmpty(), "Kamailio's dlg.list holds dialogs of an unauthenticated agent: %s",
				hostileDialogs);
		JsonNode active = viewAfter("/api/calls/active", answered, violations);
		if (active != null) {
			violations.check(active.path("calls").isEmpty(),
					"/api/calls/active lists calls although Kamailio relayed none: %s",
					Violations.shown(active.path("calls").toString()));
		}
		// A call that begins now can only be one of these (an earlier test's calls may still end now).
		Set<String> beginnings = Set.of(EventTypes.CALL_INITIATED, EventTypes.CALL_RINGING, EventTypes.CALL_ANSWERED);
		List<String> begun = events.after(start, 100_000)
			.stream()
			.filter((stored) -> beginnings.contains(stored.event().type()))
			.map((stored) -> stored.event().type() + " " + Violations.shown(stored.event().subject()))
			.toList();
		violations.check(begun.isEmpty(), "calls began although Kamailio relayed none: %s", begun);
		readEndpoints("after hostile INVITEs from an agent", Set.of(), violations);

		report("dialogs from an agent without credentials", outcomes);
		violations.assertNone();
	}

	@Test
	void hostileRegistrationsAreNotListedAndAreShownSanitized() throws Exception {
		Path workDir = Files.createDirectories(SIPP.workDir().resolve("hostile"));
		registrations("hostile registrations (SIPp)", SipCorpus.textRegistrations(),
				(registrations, expires) -> sippRegister(workDir, registrations, expires));
	}

	@Test
	void rawNonUtf8BytesInARegistrationAreNotListedAndAreShownSanitized() throws Exception {
		RawSip raw = new RawSip(KamailioProcess.LISTEN_IP, KAMAILIO.sipPort());
		agents.add(raw);
		registrations("registrations with raw non-UTF-8 bytes (Java)", SipCorpus.rawRegistrations(),
				(registrations, expires) -> {
					Map<Registration, Integer> statuses = new LinkedHashMap<>();
					for (Registration registration : registrations) {
						statuses.put(registration, raw.register(registration.aorUser(), registration.aorUser(),
								registration.contactUser(), registration.userAgent(), expires,
								registration.credentials()));
					}
					if (expires > 0) {
						measureRawBytes("ul.dump");
					}
					return statuses;
				});
	}

	/** Sends REGISTERs (Expires given) and tells each one's final status, -1 for none. */
	@FunctionalInterface
	private interface Registrar {

		Map<Registration, Integer> register(List<Registration> registrations, int expires) throws IOException;

	}

	/**
	 * With these registrations in Kamailio, every read endpoint answers 200, {@code /api/dn/list} lists no AoR that
	 * is not a DN (not even cut or cleaned into one), and each registered DN shows its contacts bounded and
	 * sanitized. The registrations are taken back afterwards.
	 */
	private void registrations(String corpus, List<Registration> registrations, Registrar registrar)
			throws IOException {
		Violations violations = new Violations(corpus);
		Map<Registration, Integer> statuses = registrar.register(registrations, 3600);
		checkRegistered(statuses, violations);
		measureStoredRegistrations();
		try {
			Set<String> registeredDns = new LinkedHashSet<>(List.of(CALLEE));
			statuses.forEach((registration, status) -> {
				MESSAGES.incrementAndGet();
				if (status == 200) {
					ACCEPTED.incrementAndGet();
					if (registration.validDn()) {
						registeredDns.add(registration.aorUser());
					}
				}
			});
			// The service shows Kamailio's registrations within a refresh or two.
			String newest = registeredDns.stream().reduce((first, second) -> second).orElseThrow();
			awaitOrReport(violations, "GET /api/dn/" + newest + " shows the registration",
					() -> get("/api/dn/" + newest).json().path("registered").asBoolean());

			JsonNode list = readEndpoints("with hostile registrations", Set.of(), violations).get("/api/dn/list");
			Set<String> aors = kamailioAors();
			if (list != null) {
				for (JsonNode entry : list.path("dns")) {
					String dn = entry.path("dn").asString("");
					violations.check(aors.contains(dn),
							"/api/dn/list lists %s, which is no AoR Kamailio has (a registration whose AoR is not a DN "
									+ "is not listed, not even cut or cleaned into one)",
							Violations.shown(dn));
				}
			}
			for (String dn : registeredDns) {
				ApiClient.Response response = get("/api/dn/" + dn);
				JsonNode body = jsonOrNull(response);
				if (response.status() == 200 && body != null) {
					SipFieldRules.checkDn(body, "GET /api/dn/" + dn, violations);
				}
				else {
					violations.add("GET /api/dn/%s: %s", dn, Violations.shown(response.toString()));
				}
			}
		}
		finally {
			// Only what Kamailio took needs taking back; the next test starts without these registrations.
			registrar.register(statuses.entrySet().stream()
				.filter((status) -> status.getValue() == 200)
				.map(Map.Entry::getKey)
				.toList(), 0);
		}
		System.out.println("[corpus] sip/" + corpus + ": " + statuses.size() + " REGISTERs, "
				+ statuses.values().stream().filter((status) -> status == 200).count() + " accepted by Kamailio, "
				+ statuses.keySet().stream().filter((registration) -> !registration.credentialsCanName()).count()
				+ " with an AoR user no credentials can name");
		statuses.forEach((registration, status) -> System.out.println("[measure] kamailio REGISTER "
				+ registration.tag() + " (" + registration.description() + "): " + describe(status, false)));
		violations.assertNone();
	}

	/**
	 * What Kamailio must do with a trusted peer's hostile INVITE: relay it (its dialog is in dlg.list), unless its
	 * sanity checks refuse it as malformed (400, or dropped without an answer), as they do whoever sends it. Never
	 * challenge it (401, 407): the corpus would then measure the challenge, not the service.
	 */
	private static void checkRelayed(Map<Dialog, Outcome> outcomes, Violations violations) {
		outcomes.forEach((dialog, outcome) -> violations.check(outcome.inDialog() || outcome.refusedAsMalformed(),
				"%s (%s) from a trusted peer: %s, expected its dialog in dlg.list (or 400 / no answer from the sanity "
						+ "checks)",
				dialog.tag(), dialog.description(), outcome));
	}

	/**
	 * What Kamailio must do with a hostile REGISTER that carries credentials for its AoR user: refuse it (401, 403)
	 * when no credentials can name that user ({@link Registration#credentialsCanName()}); register it (200) when the
	 * user is a DN, as the service issues credentials for, so that its hostile Contact and User-Agent reach the
	 * service. Other AoR users are up to Kamailio's registrar (reported, and never listed by the service if taken).
	 */
	private static void checkRegistered(Map<Registration, Integer> statuses, Violations violations) {
		statuses.forEach((registration, status) -> {
			String where = registration.tag() + " (" + registration.description() + ")";
			if (!registration.credentialsCanName()) {
				violations.check(status == 401 || status == 403,
						"%s: %s, expected 401 or 403: no credentials can name its AoR user", where,
						describe(status, false));
			}
			else if (registration.validDn()) {
				violations.check(status == 200, "%s: %s, expected 200: a DN with its credentials registers", where,
						describe(status, false));
			}
		});
	}

	/**
	 * With the hostile dialogs of {@code outcomes} live, places a normal call {@value SipCorpus#CALLER} ->
	 * {@value SipCorpus#CALLEE}, checks the read API, hangs every listed hostile call up over the API, ends the rest
	 * ({@code endByCaller} first, then Kamailio's dlg.end_dlg), and checks events (those after position
	 * {@code start}, taken before the first hostile INVITE) and history of all of them.
	 */
	private void alongsideANormalCall(long start, Map<Dialog, Outcome> outcomes, Violations violations,
			Consumer<Dialog> endByCaller) {
		Map<Dialog, String> hostileDialogIds = new LinkedHashMap<>();
		for (Dialog dialog : outcomes.keySet()) {
			MESSAGES.incrementAndGet();
			kamailioDialog(dialog.tag()).ifPresent((found) -> {
				ACCEPTED.incrementAndGet();
				hostileDialogIds.put(dialog, dialogId(found));
			});
		}
		agents.add(SIPP.call(CALLER, CALLEE));
		JsonNode normal;
		try {
			normal = await().atMost(BOUND).until(this::normalDialog, (found) -> found != null
					&& found.path("state").asInt() == 4);
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError("the normal call " + CALLER + " -> " + CALLEE + " was not confirmed by Kamailio: "
					+ KAMAILIO.logTail(20), ex);
		}
		String normalDialogId = dialogId(normal);
		String normalSipCallId = normal.path("call-id").asString();

		// While they live.
		awaitOrReport(violations, "the normal call is listed as confirmed in /api/calls/dn/" + CALLER,
				() -> listedByDialogId("/api/calls/dn/" + CALLER, "active_calls", normalDialogId)
					.map((call) -> "confirmed".equals(call.path("state").asString()))
					.orElse(false));
		String normalCallId = listedByDialogId("/api/calls/active", "calls", normalDialogId)
			.map((call) -> call.path("call_id").asString())
			.orElse(normalSipCallId);
		Set<String> ownDialogs = new LinkedHashSet<>(hostileDialogIds.values());
		ownDialogs.add(normalDialogId);
		readEndpoints("while hostile dialogs live", ownDialogs, violations);
		awaitOrReport(violations, "call.initiated and call.answered of the normal call " + normalCallId,
				() -> countEvents(start, normalCallId, EventTypes.CALL_INITIATED) == 1
						&& countEvents(start, normalCallId, EventTypes.CALL_ANSWERED) == 1);
		Map<String, String> hostileCallIds = new LinkedHashMap<>();
		for (Map.Entry<Dialog, String> hostile : hostileDialogIds.entrySet()) {
			listedByDialogId("/api/calls/active", "calls", hostile.getValue())
				.ifPresent((call) -> hostileCallIds.put(hostile.getValue(), call.path("call_id").asString()));
		}

		// Hang-up over the API of every hostile call the API lists: 200 or 404, never a 5xx.
		for (Map.Entry<String, String> hostile : hostileCallIds.entrySet()) {
			String body = JSON.writeValueAsString(Map.of("call_id", hostile.getValue()));
			ApiClient.Response hangup = countServerErrors(api.post("/api/call/hangup", body));
			violations.check(hangup.status() == 200 || hangup.status() == 404,
					"POST /api/call/hangup of listed call %s (dialog %s): %s, expected 200 or 404",
					Violations.shown(hostile.getValue()), hostile.getKey(), Violations.shown(hangup.toString()));
		}
		for (Dialog dialog : hostileDialogIds.keySet()) {
			if (kamailioDialog(dialog.tag()).filter((found) -> found.path("state").asInt() < 5).isPresent()) {
				endByCaller.accept(dialog);
			}
		}
		for (JsonNode dialog : kamailioDialogs()) {
			if (dialog.path("state").asInt() < 5 && (hostileDialogIds.containsValue(dialogId(dialog))
					|| normalDialogId.equals(dialogId(dialog)))) {
				KAMAILIO.rpc().call("dlg.end_dlg", dialog.path("h_entry").asLong(), dialog.path("h_id").asLong());
			}
		}
		await().atMost(BOUND).until(() -> kamailioDialogs().stream()
			.noneMatch((dialog) -> dialog.path("state").asInt() < 5
					&& (hostileDialogIds.containsValue(dialogId(dialog)) || normalDialogId.equals(dialogId(dialog)))));

		// After they ended.
		awaitOrReport(violations, "no ended call is listed in /api/calls/active",
				() -> hostileDialogIds.values().stream()
						.noneMatch((id) -> listedByDialogId("/api/calls/active", "calls", id)
					.isPresent()) && listedByDialogId("/api/calls/active", "calls", normalDialogId).isEmpty());
		readEndpoints("after hostile dialogs ended", ownDialogs, violations);
		awaitOrReport(violations, "exactly one call.ended of the normal call " + normalCallId,
				() -> countEvents(start, normalCallId, EventTypes.CALL_ENDED) >= 1);
		violations.check(countEvents(start, normalCallId, EventTypes.CALL_ENDED) <= 1,
				"the normal call %s ended %d times", normalCallId,
						countEvents(start, normalCallId, EventTypes.CALL_ENDED));
		awaitOrReport(violations, "a history row of the normal call (dialog " + normalDialogId + ")",
				() -> historyByDialogId(normalDialogId).isPresent());
		try {
			await().atMost(SHOWN_WITHIN)
				.until(() -> hostileDialogIds.values().stream().allMatch((id) -> historyByDialogId(id).isPresent()));
		}
		catch (ConditionTimeoutException ex) {
			// each missing row is reported below
		}
		for (Map.Entry<Dialog, String> hostile : hostileDialogIds.entrySet()) {
			String where = hostile.getKey().tag() + " (" + hostile.getKey().description() + ")";
			Optional<JsonNode> row = historyByDialogId(hostile.getValue());
			if (row.isEmpty()) {
				violations.add("%s: no history row for its dialog %s", where, hostile.getValue());
				continue;
			}
			SipFieldRules.checkCall(row.get(), where + " history row", violations);
			String callId = row.get().path("call_id").asString();
			long ended = countEvents(start, callId, EventTypes.CALL_ENDED);
			violations.check(ended == 1, "%s: %d call.ended events for %s, expected exactly one", where, ended,
					Violations.shown(callId));
		}
		for (StoredEvent stored : events.after(start, 100_000)) {
			if (stored.event().type().startsWith("call.")) {
				SipFieldRules.checkCall(JSON.valueToTree(stored.event().data()),
						"event " + stored.event().type() + " " + Violations.shown(stored.event().subject()),
						violations);
			}
		}
	}

	/**
	 * Every read endpoint answers 200 with JSON, and everything from SIP in it is bounded and sanitized; also
	 * {@code /api/calls/{id}} of every listed call. History rows are held to that only when they are of
	 * {@code ownDialogs} (earlier tests' rows are theirs to report). Returns the bodies by path.
	 */
	private Map<String, JsonNode> readEndpoints(String when, Set<String> ownDialogs, Violations violations) {
		Map<String, JsonNode> bodies = new LinkedHashMap<>();
		for (String path : List.of("/api/health", "/api/dn/list", "/api/dn/" + CALLEE, "/api/calls/active",
				"/api/calls/dn/" + CALLEE, "/api/calls/dn/" + CALLER, "/api/calls/history?limit=500")) {
			ApiClient.Response response;
			try {
				response = get(path);
			}
			catch (RuntimeException ex) {
				violations.add("%s: GET %s: no answer (%s)", when, path, ex);
				continue;
			}
			JsonNode body = jsonOrNull(response);
			if (response.status() != 200 || body == null) {
				violations.add("%s: GET %s: %s", when, path, Violations.shown(response.toString()));
				continue;
			}
			bodies.put(path, body);
		}
		String where = when + ": ";
		Optional.ofNullable(bodies.get("/api/health"))
			.ifPresent((health) -> violations.check("up".equals(health.path("components").path("kamailio")
					.path("status")
				.asString()), "%sGET /api/health: Kamailio is up but reported %s", where,
					health.path("components").path("kamailio")));
		Optional.ofNullable(bodies.get("/api/dn/list"))
			.ifPresent((list) -> SipFieldRules.checkDnList(list, where + "GET /api/dn/list", violations));
		Optional.ofNullable(bodies.get("/api/dn/" + CALLEE))
			.ifPresent((dn) -> SipFieldRules.checkDn(dn, where + "GET /api/dn/" + CALLEE, violations));
		Set<String> callIds = new LinkedHashSet<>();
		for (String[] listing : List.of(new String[] { "/api/calls/active", "calls" },
				new String[] { "/api/calls/dn/" + CALLEE, "active_calls" },
				new String[] { "/api/calls/dn/" + CALLER, "active_calls" },
				new String[] { "/api/calls/history?limit=500", "calls" })) {
			JsonNode body = bodies.get(listing[0]);
			if (body == null) {
				continue;
			}
			for (JsonNode call : body.path(listing[1])) {
				if (listing[0].startsWith("/api/calls/history")
						&& !ownDialogs.contains(call.path("dialog_id").asString(""))) {
					continue;
				}
				SipFieldRules.checkCall(call, where + "GET " + listing[0], violations);
				if (!listing[0].startsWith("/api/calls/history") && call.path("call_id").isString()) {
					callIds.add(call.path("call_id").asString());
				}
			}
		}
		for (String callId : callIds) {
			String path = "/api/calls/" + pathSegment(callId);
			try {
				ApiClient.Response response = get(path);
				JsonNode details = jsonOrNull(response);
				if (response.status() == 200 && details != null) {
					SipFieldRules.checkCall(details, where + "GET /api/calls/{id}", violations);
				}
				else {
					violations.add("%sGET /api/calls/{%s}: %s", where, Violations.shown(callId),
							Violations.shown(response.toString()));
				}
			}
			catch (RuntimeException ex) {
				violations.add("%sGET /api/calls/{%s}: %s", where, Violations.shown(callId), ex);
			}
		}
		return bodies;
	}

	// --- Kamailio's side

	/** dlg.list as Kamailio reports it (bytes that are not UTF-8 read as U+FFFD by the test's own client). */
	private List<JsonNode> kamailioDialogs() {
		List<JsonNode> dialogs = new ArrayList<>();
		KAMAILIO.rpc().result("dlg.list").forEach(dialogs::add);
		return dialogs;
	}

	/** What usrloc kept of each registration but the callee's: AoR, contact address and User-Agent. */
	private static void measureStoredRegistrations() {
		for (JsonNode domain : KAMAILIO.rpc().result("ul.dump").path("Domains")) {
			for (JsonNode aor : domain.path("Domain").path("AoRs")) {
				String user = aor.path("Info").path("AoR").asString("");
				if (CALLEE.equals(user) || CALLER.equals(user)) {
					continue;
				}
				for (JsonNode contact : aor.path("Info").path("Contacts")) {
					String address = contact.path("Contact").path("Address").asString("");
					String userAgent = contact.path("Contact").path("User-Agent").asString("");
					System.out.println("[measure] kamailio ul.dump keeps AoR \"" + Violations.shown(user) + "\" ("
							+ user.length() + " chars), Address of " + address.length() + " chars, User-Agent of "
							+ userAgent.length() + " chars: \"" + Violations.shown(userAgent.substring(0,
									Math.min(24, userAgent.length()))) + "\"");
				}
			}
		}
	}

	/** The AoRs of ul.dump's location table (bytes that are not UTF-8 read as U+FFFD). */
	private static Set<String> kamailioAors() {
		Set<String> aors = new LinkedHashSet<>();
		for (JsonNode domain : KAMAILIO.rpc().result("ul.dump").path("Domains")) {
			for (JsonNode aor : domain.path("Domain").path("AoRs")) {
				aors.add(aor.path("Info").path("AoR").asString(""));
			}
		}
		return aors;
	}

	/** The live dialog of a hostile case, found by its From tag (hostile-TAG). */
	private Optional<JsonNode> kamailioDialog(String tag) {
		return kamailioDialogs().stream()
			.filter((dialog) -> ("hostile-" + tag).equals(dialog.path("caller").path("tag").asString()))
			.findFirst();
	}

	/** The normal call: from {@value SipCorpus#CALLER}, not one of the hostile ones; null until Kamailio has it. */
	private JsonNode normalDialog() {
		return kamailioDialogs().stream()
			.filter((dialog) -> dialog.path("from_uri").asString().startsWith("sip:" + CALLER + "@")
					&& !dialog.path("caller").path("tag").asString().startsWith("hostile-")
					&& dialog.path("state").asInt() < 5)
			.findFirst()
			.orElse(null);
	}

	private static String dialogId(JsonNode dialog) {
		return dialog.path("h_entry").asLong() + ":" + dialog.path("h_id").asLong();
	}

	/**
	 * SIPp callers of every text dialog, each from its own port, on the trusted peers' address or an agents';
	 * {@code sender} names their files.
	 */
	private Map<Dialog, Sipp.Agent> sippCallers(String sender, boolean fromTrustedPeer) throws IOException {
		Path workDir = Files.createDirectories(SIPP.workDir().resolve("hostile"));
		Map<Dialog, Sipp.Agent> callers = new LinkedHashMap<>();
		for (Dialog dialog : SipCorpus.textDialogs()) {
			Path values = workDir.resolve(sender + "-" + dialog.tag() + ".csv");
			Files.writeString(values, "SEQUENTIAL\n" + dialog.injectionLine() + "\n", StandardCharsets.UTF_8);
			String name = sender + "-hostile-" + dialog.tag();
			List<String> args = List.of("-m", "1", "-s", CALLEE, "-inf", values.toString(), "-cid_str",
					dialog.callId().replace("%", "%%"));
			Sipp.Agent caller = fromTrustedPeer ? SIPP.runAsTrustedPeer(name, "hostile-uac.xml", args)
					: SIPP.run(name, "hostile-uac.xml", args);
			agents.add(caller);
			callers.put(dialog, caller);
		}
		return callers;
	}

	/** Waits for a SIPp caller's outcome: its dialog confirmed in Kamailio, a final answer, or its end. */
	private Outcome awaitOutcome(Dialog dialog, Sipp.Agent caller) {
		try {
			await().atMost(Duration.ofSeconds(15))
				.until(() -> kamailioDialog(dialog.tag()).filter((found) -> found.path("state").asInt() == 4)
						.isPresent()
						|| finalStatus(caller) > 200 || !caller.isAlive());
		}
		catch (ConditionTimeoutException ex) {
			// reported as the outcome
		}
		return new Outcome(finalStatus(caller), kamailioDialog(dialog.tag()).isPresent());
	}

	/**
	 * The last final answer SIPp received (200-699), -1 for none, from its message log: the answer to the request
	 * that answered a challenge, when there was one.
	 */
	private static int finalStatus(Sipp.Agent agent) {
		try {
			if (!Files.exists(agent.messageLog())) {
				return -1;
			}
			boolean received = false;
			int last = -1;
			for (String line : Files.readAllLines(agent.messageLog(), StandardCharsets.ISO_8859_1)) {
				if (line.contains("message received")) {
					received = true;
				}
				else if (received && !line.isBlank()) {
					if (line.startsWith("SIP/2.0 ") && line.length() >= 11 && line.charAt(8) >= '2') {
						last = Integer.parseInt(line.substring(8, 11));
					}
					received = false;
				}
			}
			return last;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * REGISTERs through SIPp, all at once, each answering Kamailio's 401 with the credentials for its AoR user; each
	 * one's final status, or -1 when Kamailio did not answer.
	 */
	private static Map<Registration, Integer> sippRegister(Path workDir, List<Registration> registrations, int expires)
			throws IOException {
		Map<Registration, Sipp.Agent> agents = new LinkedHashMap<>();
		try {
			for (Registration registration : registrations) {
				Path values = workDir.resolve(registration.tag() + "-" + expires + ".csv");
				Files.writeString(values,
						"SEQUENTIAL\n" + registration.injectionLine(expires, registration.credentials()) + "\n",
						StandardCharsets.UTF_8);
				agents.put(registration, SIPP.run("hostile-" + registration.tag(), "hostile-register.xml",
						List.of("-m", "1", "-inf", values.toString())));
			}
			Map<Registration, Integer> statuses = new LinkedHashMap<>();
			agents.forEach((registration, agent) -> {
				agent.awaitExit(Duration.ofSeconds(15));
				statuses.put(registration, finalStatus(agent));
			});
			return statuses;
		}
		finally {
			agents.values().forEach(Sipp.Agent::stop);
		}
	}

	private static String describe(int status, boolean inDialog) {
		return ((status < 0) ? "no answer (dropped)" : Integer.toString(status)) + (inDialog ? ", in dlg.list" : "");
	}

	/** What Kamailio did with a hostile INVITE: its final status (-1: none came) and whether its dialog is listed. */
	private record Outcome(int status, boolean inDialog) {

		/**
		 * Refused by Kamailio's parser and sanity checks, which run before it looks at who sent it: 400, or dropped
		 * without an answer.
		 */
		boolean refusedAsMalformed() {
			return !inDialog && (status == 400 || status < 0);
		}

		@Override
		public String toString() {
			return describe(status, inDialog);
		}

	}

	/**
	 * What Kamailio's JSON-RPC emits for raw non-UTF-8 bytes: the bytes as they are (not valid UTF-8, so not valid
	 * JSON text per RFC 8259), or escaped.
	 */
	private static void measureRawBytes(String method) {
		byte[] body;
		try {
			HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			body = client.send(HttpRequest.newBuilder(URI.create(KAMAILIO.rpcUrl()))
				.timeout(Duration.ofSeconds(5))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"method\":\"" + method
						+ "\",\"id\":1}"))
				.build(), HttpResponse.BodyHandlers.ofByteArray()).body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		boolean utf8;
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(body));
			utf8 = true;
		}
		catch (CharacterCodingException ex) {
			utf8 = false;
		}
		int rawFf = 0;
		for (byte b : body) {
			rawFf += (b == (byte) 0xFF) ? 1 : 0;
		}
		String text = new String(body, StandardCharsets.ISO_8859_1);
		int first = text.indexOf('\u00ff');
		String sample = (first < 0) ? "-"
				: HexFormat.of().formatHex(body, Math.max(0, first - 12), Math.min(body.length, first + 12)) + " ("
						+ Violations.shown(text.substring(Math.max(0, first - 12), Math.min(body.length, first + 12)))
						+ ")";
		System.out.println("[measure] kamailio " + method + " with raw bytes: " + body.length + " bytes, valid UTF-8: "
				+ utf8 + ", raw 0xFF bytes: " + rawFf + ", \\u00ff escapes: " + occurrences(text, "\\u00ff")
				+ ", \\u0001 escapes: " + occurrences(text, "\\u0001") + ", raw DEL bytes: "
				+ occurrences(text, "\u007f") + ", around the first 0xFF: " + sample);
	}

	private static int occurrences(String text, String part) {
		int count = 0;
		for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
			count++;
		}
		return count;
	}

	// --- the API's side

	private ApiClient.Response get(String path) {
		return countServerErrors(api.get(path));
	}

	private static ApiClient.Response countServerErrors(ApiClient.Response response) {
		if (response.status() >= 500) {
			SERVER_ERRORS.incrementAndGet();
		}
		return response;
	}

	/**
	 * The body of {@code path} once it comes from a look at Kamailio begun after {@code after} ({@code X-State-Age-Ms}
	 * says when), so that it shows whatever Kamailio held then; null (and a violation) when none came.
	 */
	private JsonNode viewAfter(String path, Instant after, Violations violations) {
		try {
			return await().atMost(SHOWN_WITHIN).until(() -> {
				Instant asked = Instant.now();
				ApiClient.Response response = get(path);
				String age = response.header("X-State-Age-Ms");
				boolean fresh = response.status() == 200 && age != null
						&& asked.minusMillis(Long.parseLong(age) + 1).isAfter(after);
				return fresh ? jsonOrNull(response) : null;
			}, (body) -> body != null);
		}
		catch (ConditionTimeoutException ex) {
			violations.add("GET %s: no answer from a look at Kamailio after %s within %s", path, after, SHOWN_WITHIN);
			return null;
		}
	}

	/** The entry of a listing (calls, active_calls) whose dialog_id is this one; empty when none or on an error. */
	private Optional<JsonNode> listedByDialogId(String path, String member, String dialogId) {
		ApiClient.Response response = get(path);
		JsonNode body = (response.status() == 200) ? jsonOrNull(response) : null;
		if (body == null) {
			return Optional.empty();
		}
		for (JsonNode call : body.path(member)) {
			if (dialogId.equals(call.path("dialog_id").asString(""))) {
				return Optional.of(call);
			}
		}
		return Optional.empty();
	}

	private Optional<JsonNode> historyByDialogId(String dialogId) {
		return listedByDialogId("/api/calls/history?limit=500", "calls", dialogId);
	}

	private long countEvents(long after, String subject, String type) {
		return events.after(after, 100_000)
			.stream()
			.filter((stored) -> stored.event().type().equals(type) && stored.event().subject().equals(subject))
			.count();
	}

	private static void awaitOrReport(Violations violations, String what, Callable<Boolean> done) {
		try {
			await().atMost(SHOWN_WITHIN).until(done);
		}
		catch (ConditionTimeoutException ex) {
			violations.add("%s: not within %s", what, SHOWN_WITHIN);
		}
	}

	private static JsonNode jsonOrNull(ApiClient.Response response) {
		try {
			JsonNode body = response.json();
			return body.isMissingNode() ? null : body;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/** A call id as one path segment: RFC 3986 pchar stays, everything else is percent-encoded (UTF-8). */
	private static String pathSegment(String value) {
		StringBuilder out = new StringBuilder();
		for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
			int c = b & 0xFF;
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
					|| "-._~!$&'()*+,=:@".indexOf(c) >= 0) {
				out.append((char) c);
			}
			else {
				out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
			}
		}
		return out.toString();
	}

	private static void report(String corpus, Map<Dialog, Outcome> outcomes) {
		System.out.println("[corpus] sip/" + corpus + ": " + outcomes.size() + " INVITEs, "
				+ outcomes.values().stream().filter(Outcome::inDialog).count() + " dialogs in Kamailio");
		outcomes.forEach((dialog, outcome) -> System.out.println("[measure] kamailio INVITE " + dialog.tag() + " ("
				+ dialog.description() + "): " + outcome));
	}

}
