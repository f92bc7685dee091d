package org.signaling.api.apidocs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.signaling.api.shared.Grammar;

/**
 * What each endpoint is for and every error status it answers with, in one table: the words of the contract that
 * the controllers' signatures cannot carry. 401, 403 and 429 are added to every endpoint that needs a credential.
 * A test fails when an endpoint of the API is missing here.
 */
final class Endpoints {

	/**
	 * @param tag the feature it belongs to
	 * @param open no credential needed
	 * @param observed answers from the live Kamailio view and says how old it is ({@code X-State-Age-Ms})
	 * @param errors status to description, beyond 401/403/429
	 */
	record Documented(String tag, String summary, String description, boolean open, boolean observed,
			Map<String, String> errors) {
	}

	private static final String NOT_READY = "Kamailio unreachable: its view is older than "
			+ "signaling.kamailio.max-staleness (`{\"error\": \"Kamailio unreachable\"}`)";

	private static final String BAD_DN = "Invalid DN (" + Grammar.DN_RULE + ")";

	private static final Map<String, Documented> ALL = new LinkedHashMap<>();

	/** Success statuses other than 200 (a ResponseEntity's status is not visible to springdoc). */
	private static final Map<String, String> SUCCESS = Map.of("POST /api/call/make", "202", "POST /api/webhooks",
			"201", "DELETE /api/webhooks/{id}", "204", "POST /api/webhooks/{id}/deliveries/{deliveryId}/redeliver",
			"202", "POST /api/calls/{callId}/dtmf", "202", "POST /api/calls/{callId}/transfers", "202",
			"POST /api/calls/{callId}/monitors", "202");

	/** What every call control operation can answer besides its success. */
	private static final Map<String, String> CONTROL_ERRORS = Map.of("400", "Invalid call id or field", "404",
			"Call not found", "409", "The call needs Asterisk in the media path (`{\"error\": \"Call ... needs "
					+ "Asterisk in the media path\"}`), is not answered, has ended, or has a transfer in progress",
			"422", "The Idempotency-Key was used for a different request", "502", "Asterisk refused the action",
			"503", "Asterisk unreachable");

	private static final String CONTROL = "Calls the API placed through Asterisk. Scope calls (an agent token: "
			+ "calls of its DN only) or supervise. Takes an `Idempotency-Key` (replayed with "
			+ "`Idempotent-Replayed: true`); audited; emits ";

	/**
	 * Error statuses whose body is the success shape plus {@code error}, a promise of the seed: Genesys status
	 * answers 503 with the same fields while the server is unreachable.
	 */
	private static final Map<String, Set<String>> SUCCESS_SHAPED_ERRORS = Map.of("GET /api/genesys/status",
			Set.of("503"));

	/** The seed's examples (seed-api.md), which clients were written against. */
	private static final Map<String, String> SEED_EXAMPLES = Map.of("GET /api/health", """
			{"status": "ok", "service": "kamailio-custom-signaling", "version": "1.0", "timestamp": "1734522035",
			 "uptime": 3600}""", "GET /api/dn/{dn}", """
			{"dn": "5001", "status": "available", "sip_uri": "sip:5001@192.168.210.54"}""", "GET /api/dn/list", """
			{"dns": [{"dn": "5001", "sip_uri": "sip:5001@192.168.210.54", "status": "registered"},
			         {"dn": "5002", "sip_uri": "sip:5002@192.168.210.54", "status": "registered"}]}""",
			"GET /api/genesys/status", """
					{"connected": true, "server": "192.168.210.81:5060", "service": "wwe", "status": "active"}""",
			"GET /api/calls/active", """
					{"active_calls": 5, "timestamp": "1734522035"}""", "GET /api/calls/dn/{dn}", """
					{"dn": "5001", "active_calls": [{"call_id": "call-123", "from": "sip:5001@192.168.210.54",
					 "to": "sip:1003@192.168.210.54", "state": "confirmed", "duration": 120}], "count": 1}""",
			"POST /api/call/make", """
					{"status": "initiated", "from": "5001", "to": "1003", "call_id": "call-789456"}""",
			"POST /api/call/hangup", """
					{"status": "terminated", "call_id": "call-789456"}""");

	/** The seed's request examples. */
	private static final Map<String, String> SEED_REQUEST_EXAMPLES = Map.of("POST /api/call/make", """
			{"from": "5001", "to": "1003"}""", "POST /api/call/hangup", """
			{"call_id": "call-789456"}""");

	static {
		add("GET /api/health", new Documented("health", "Service health",
				"Open to monitors. `status` is `ok`, or `degraded` while a backend is down; `components` (per "
						+ "backend, with its last error) only for authenticated callers.",
				true, false, Map.of()));
		add("GET /api/dn/{dn}", new Documented("dn", "One DN: status, SIP URI and contacts",
				"`available` (registered, no active call), `busy` (registered, in a call) or `offline` (in the "
						+ "DN directory, not registered). Where to send the INVITE: `sip_uri` and `contacts`.",
				false, true, Map.of("400", BAD_DN, "404", "Unknown DN: `{\"error\": \"DN not found: 5001\"}`", "503",
						NOT_READY)));
		add("GET /api/dn/list", new Documented("dn", "Every registered DN, and the directory's offline ones",
				"`status` is `registered` (the seed's word) or `offline`; `availability` says available or busy.",
				false, true, Map.of("503", NOT_READY)));
		add("GET /api/routing/dn/{dn}", new Documented("routing", "One DN as Genesys routing reads it (always 200)",
				"Every key always present, only strings, numbers and booleans (a Genesys Cloud data action's output "
						+ "contract: docs/genesys/routing-data-action.json). `reason`: `ok` (send the INVITE to "
						+ "`target_uri`), `not_found`, `not_registered`, `busy` or `kamailio_unreachable` (then "
						+ "`retry_after_s`); `target_uri` is empty unless `reason` is `ok`.",
				false, true, Map.of("400", BAD_DN)));
		add("GET /api/routing/select", new Documented("routing", "Pick one of several DNs to route to",
				"`candidates`: up to 20 comma-separated DNs; `strategy`: `first` (the first available, the default), "
						+ "`least_busy` (the registered one in the fewest calls) or `random` (among the available). "
						+ "The chosen DN's answer, as for one DN, with `candidates_tried`; none available: the first "
						+ "candidate's own answer (its `reason` says why).",
				false, true, Map.of("400", "Missing or invalid candidates (a malformed DN, over 20) or strategy")));
		add("GET /api/genesys/status", new Documented("genesys", "Genesys SIP Server reachability",
				"From Kamailio's OPTIONS probing (dispatcher). While it does not answer: 503 with the same fields, "
						+ "`connected: false`, `status: unreachable` and `error`.",
				false, true, Map.of("503", "Genesys server unreachable (the same fields plus `error`), or Kamailio "
						+ "unreachable")));
		add("GET /api/calls/active", new Documented("calls", "Active calls: count, by state, and the calls",
				"One request for a whole dashboard.", false, true, Map.of("503", NOT_READY)));
		add("GET /api/calls/dn/{dn}", new Documented("calls", "A DN's active calls",
				"States: `initiated` (accepted, not yet seen in SIP), `trying`, `ringing`, `answered`, `confirmed`. "
						+ "A known DN without calls: an empty list.",
				false, true, Map.of("400", BAD_DN, "404", "Unknown DN", "503", NOT_READY)));
		add("GET /api/calls/{callId}", new Documented("calls", "One call and its correlation record",
				"Our call_id, SIP Call-IDs, Asterisk Uniqueid/Linkedid and channels, the Kamailio dialog id, "
						+ "timestamps and the end cause; also for ended calls.",
				false, false, Map.of("400", "Invalid call_id", "404", "Call not found")));
		add("GET /api/calls", new Documented("calls", "The calls of a Genesys interaction",
				"`genesys_call_uuid`: the Genesys SIP Server's X-Genesys-CallUUID (" + Grammar.GENESYS_CALL_UUID_RULE
						+ "), kept from trusted peers' INVITEs. Live and ended calls, newest first, at most 20.",
				false, false, Map.of("400", "Missing or invalid genesys_call_uuid")));
		add("GET /api/calls/history", new Documented("calls", "Ended calls, newest first",
				"Filters: `dn`, `since`/`until` (ISO-8601), `end_cause`; `limit` 1 to 500 (50); the next page "
						+ "with `cursor` = the previous page's `next_cursor`.",
				false, false, Map.of("400", "Invalid filter, limit or cursor")));
		add("POST /api/call/make", new Documented("calls", "Click-to-dial",
				"Rings the agent DN `from` (registered), then connects it to `to`. Send an `Idempotency-Key`: "
						+ "a retry with the same key within 24 h returns the first answer (`Idempotent-Replayed: "
						+ "true`) and dials nothing. An agent token may dial only from its own DN.",
				false, false,
				Map.of("400", "Missing or invalid field: `{\"error\": \"Missing required parameter: from\"}`",
						"404", "`from` is not registered: `{\"error\": \"DN not found: 5001\"}`", "422",
						"The Idempotency-Key was used for a different request", "413", "Body too large", "415",
						"Not application/json", "502", "The PBX refused the call", "503",
						"Asterisk (or Kamailio, with the kamailio originator) unreachable")));
		add("POST /api/call/hangup", new Documented("calls", "Hang up a call",
				"Any call_id the API has shown: placed over the API, or only carried by Kamailio (BYE both "
						+ "ways). An agent token only for calls of its DN; scope supervise for any call.",
				false, false,
				Map.of("400", "Missing or invalid `call_id`", "404", "Call not found", "413", "Body too large", "415",
						"Not application/json", "503", "The backend carrying the call is unreachable")));
		add("POST /api/calls/{callId}/hold", new Documented("call control", "Put the customer on hold",
				"The customer hears music on hold, the agent silence. " + CONTROL + "`call.held`.", false, false,
				CONTROL_ERRORS));
		add("POST /api/calls/{callId}/unhold", new Documented("call control", "Take the customer off hold",
				"Agent and customer talk again. " + CONTROL + "`call.unheld`.", false, false, CONTROL_ERRORS));
		add("POST /api/calls/{callId}/dtmf", new Documented("call control", "Send DTMF toward the customer's side",
				"`{\"digits\": \"12#\", \"duration_ms\": 100}`: 1-32 of `0-9*#A-D`, 40-2000 ms each (an IVR the "
						+ "agent navigates). " + CONTROL + "`call.dtmf_sent`.", false, false, CONTROL_ERRORS));
		add("POST /api/calls/{callId}/mute", new Documented("call control", "Mute the agent",
				"`{\"direction\": \"in|out|all\", \"state\": \"on|off\"}`: `in` is what the agent says. "
						+ CONTROL + "`call.muted`, `call.unmuted`.", false, false, CONTROL_ERRORS));
		add("POST /api/calls/{callId}/recording", new Documented("call control", "Record the call",
				"`{\"action\": \"start|stop|pause|resume\"}`; pause while card details are read (silence is "
						+ "written). One recording at a time (409). " + CONTROL + "`call.recording.started`, "
						+ "`.paused`, `.resumed`, `.stopped`.", false, false, CONTROL_ERRORS));
		add("POST /api/calls/{callId}/transfers", new Documented("call control", "Transfer the call",
				"`{\"to\": \"5002\", \"mode\": \"blind|attended\", \"timeout\": 20}`. Blind: the customer "
						+ "goes to `to`, the agent leaves (`completed` at once). Attended: the customer waits on "
						+ "hold while `to` rings (`ringing`, `answered`), then complete or cancel it; unanswered "
						+ "for `timeout` s it `failed`; the call ending first makes it `abandoned`. One transfer at a "
						+ "time (409). " + CONTROL + "`call.transfer.*`.", false, false, CONTROL_ERRORS));
		add("GET /api/transfers/{transferId}", new Documented("call control", "A transfer's state",
				"`ringing`, `answered`, `completed`, `cancelled`, `failed` or `abandoned`.", false, false,
				Map.of("400", "Invalid transfer id", "404", "No such transfer")));
		add("POST /api/transfers/{transferId}/complete", new Documented("call control",
				"Complete an attended transfer", "The agent leaves; the customer and `to` talk. Only once `to` "
						+ "answered (409 before). " + CONTROL + "`call.transfer.completed`.", false, false,
				CONTROL_ERRORS));
		add("DELETE /api/transfers/{transferId}", new Documented("call control", "Cancel an attended transfer",
				"`to` is hung up; the agent is back with the customer. " + CONTROL + "`call.transfer.cancelled`.",
				false, false, CONTROL_ERRORS));
		add("POST /api/calls/{callId}/monitors", new Documented("call control", "A supervisor joins the call",
				"`{\"supervisor_dn\": \"5009\", \"mode\": \"listen|whisper|barge\"}`: the supervisor's phone "
						+ "rings and joins through ChanSpy: listen (hears both), whisper (the agent hears the "
						+ "supervisor, the customer does not), barge (both do). Scope supervise only. "
						+ CONTROL + "`call.monitor.started`, `.active`, `.mode_changed`, `.ended`.", false, false,
				CONTROL_ERRORS));
		add("PATCH /api/monitors/{monitorId}", new Documented("call control", "Switch a monitor's mode",
				"`{\"mode\": \"whisper\"}`. Scope supervise.", false, false, CONTROL_ERRORS));
		add("DELETE /api/monitors/{monitorId}", new Documented("call control", "End a monitor",
				"The supervisor's leg is hung up; the call goes on. Scope supervise.", false, false,
				CONTROL_ERRORS));
		add("POST /api/agent/sip-credentials", new Documented("agent", "SIP credentials for an agent's softphone",
				"Short-lived credentials to register with Kamailio (auth_ephemeral): `username` is "
						+ "`<expires_at>:<dn>`, `password` the Base64 HMAC-SHA256 of the username under the secret "
						+ "Kamailio shares with the service. An agent token gets its own DN's (no body needed; a body "
						+ "`dn` must be its own); a `calls` key names the DN: `{\"dn\": \"5001\"}`. Valid for "
						+ "`signaling.sip-auth.ttl` (12 h): ask again before `expires_at`. `websocket_url` and "
						+ "`realm` are those of `/agent/config.json`. Never cached; rate-limited per credential per "
						+ "second like make; audited without the password.",
				false, false,
				Map.of("400", "No `dn` where one is needed (`{\"error\": \"Missing required parameter: dn\"}`), "
						+ "or an invalid one", "403", "Neither an agent token nor scope calls, or an agent token "
								+ "naming another DN (`{\"error\": \"Agent 5001 may only get SIP credentials for "
								+ "its own DN\"}`)",
						"404", "A DN outside `signaling.dn.directory`, when one is configured", "413",
						"Body too large", "415", "Not application/json", "503",
						"No secret configured (`{\"error\": \"SIP credentials are not configured: set "
								+ "SIP_AUTH_SECRET ...\"}`)")));
		add("GET /api/events", new Documented("events", "Server-Sent Events: DN, call, Genesys and backend events",
				"`text/event-stream`. Each message: `id` (resume with `Last-Event-ID`), `event` (the type) and "
						+ "`data` (the Event schema, as in webhooks). Heartbeat comments keep proxies open. A gap "
						+ "older than the buffer gets a `reset` event: reload state. Filters: `dn`, `call_id`, "
						+ "`type` (comma-separated; `call.*` for a family). An agent token gets only its own DN's "
						+ "events and those of its calls, whatever it asks for (403 when `dn` names only other DNs). "
						+ "At most `signaling.events.max-streams-per-credential` (20) streams per credential: more get "
						+ "429 with Retry-After. A client that stops reading is disconnected after "
						+ "`signaling.events.send-timeout` (10 s); reconnect with `Last-Event-ID`.",
				false, false, Map.of("400", "Invalid filter", "429", "Rate limit exceeded, or this credential "
						+ "already holds its streams (`{\"error\": \"Too many event streams open for this "
						+ "credential ...\"}`), with Retry-After.", "503",
						"The service holds `signaling.events.max-streams` streams, or is stopping: reconnect with "
								+ "`Last-Event-ID`")));
		add("POST /api/webhooks", new Documented("webhooks", "Subscribe a webhook",
				"Scope admin. The secret is shown once, on creation.", false, false,
				Map.of("400", "Invalid URL, event type, DN filter or secret", "409", "Too many subscriptions", "413",
						"Body too large", "415", "Not application/json")));
		add("GET /api/webhooks", new Documented("webhooks", "Webhook subscriptions", "Scope admin.", false, false,
				Map.of()));
		add("GET /api/webhooks/{id}", new Documented("webhooks", "One webhook subscription", "Scope admin.", false,
				false, Map.of("404", "No such subscription")));
		add("DELETE /api/webhooks/{id}", new Documented("webhooks", "Unsubscribe",
				"Subscriptions from configuration cannot be deleted over the API (409).", false,
				false, Map.of("404", "No such subscription", "409", "Defined in configuration")));
		add("POST /api/webhooks/{id}/rotate-secret", new Documented("webhooks", "Rotate the signing secret",
				"The previous secret keeps signing (a second `v1=`) until `previous_valid_until`.", false, false,
				Map.of("400", "Invalid secret or period", "404", "No such subscription", "409",
						"Defined in configuration")));
		add("POST /api/webhooks/{id}/test", new Documented("webhooks", "Send a test delivery",
				"Scope admin. Queues a `webhook.test` event to this subscription alone (its filters do not apply), "
						+ "signed and retried like any delivery; follow it at `Location`.",
				false, false, Map.of("404", "No such subscription")));
		add("GET /api/webhooks/{id}/deliveries", new Documented("webhooks", "Delivery attempts of a subscription",
				"Filter by `status` (pending, delivered, dead); `limit`.", false, false,
				Map.of("400", "Invalid status or limit", "404", "No such subscription")));
		add("GET /api/webhooks/{id}/deliveries/{deliveryId}", new Documented("webhooks", "One delivery",
				"Its attempts with status codes and errors.", false, false, Map.of("404", "No such delivery")));
		add("POST /api/webhooks/{id}/deliveries/{deliveryId}/redeliver", new Documented("webhooks",
				"Deliver again", "Queues the delivery again (a dead one too).", false, false,
				Map.of("404", "No such delivery")));
	}

	private Endpoints() {
	}

	private static void add(String operation, Documented documented) {
		ALL.put(operation, documented);
	}

	static @Nullable Documented find(String operation) {
		return ALL.get(operation);
	}

	static String successStatus(String operation) {
		return SUCCESS.getOrDefault(operation, "200");
	}

	static Set<String> successShapedErrors(String operation) {
		return SUCCESS_SHAPED_ERRORS.getOrDefault(operation, Set.of());
	}

	static @Nullable String seedExample(String operation) {
		return SEED_EXAMPLES.get(operation);
	}

	static @Nullable String seedRequestExample(String operation) {
		return SEED_REQUEST_EXAMPLES.get(operation);
	}

	static Map<String, Documented> all() {
		return ALL;
	}

}
