package org.signaling.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * A client of signaling-api on the JDK alone ({@link HttpClient}). Thread-safe; build one and share it.
 *
 * <pre>{@code
 * SignalingClient api = SignalingClient.builder(URI.create("https://192.168.210.54:8443"))
 *     .apiKey(System.getenv("SIGNALING_API_KEY"))
 *     .build();
 * String callId = api.clickToDial("5001", "1003").callId();
 * }</pre>
 *
 * HTTP errors are {@link SignalingApiException}s, no answer is a {@link SignalingNetworkException}. Reads and
 * {@link #clickToDial} are retried after network errors ({@code retries}, default 2, with backoff), never after an
 * HTTP error; {@code clickToDial} sends one {@code Idempotency-Key} per call and reuses it on its retries, so a
 * retry never dials twice.
 */
public final class SignalingClient {

	private final HttpClient http;

	private final String baseUri;

	private final String apiKey;

	private final Supplier<String> bearerToken;

	private final Duration timeout;

	private final int retries;

	private final Duration retryDelay;

	private SignalingClient(Builder builder) {
		String base = builder.baseUri.toString().replaceAll("/+$", "");
		this.baseUri = base.endsWith("/api") ? base.substring(0, base.length() - 4) : base;
		this.apiKey = builder.apiKey;
		this.bearerToken = builder.bearerToken;
		this.timeout = builder.timeout;
		this.retries = builder.retries;
		this.retryDelay = builder.retryDelay;
		if (builder.httpClient != null) {
			this.http = builder.httpClient;
		}
		else {
			HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(builder.connectTimeout);
			if (builder.sslContext != null) {
				http.sslContext(builder.sslContext);
			}
			this.http = http.build();
		}
	}

	/** {@code https://host:8443} (a trailing {@code /api} is accepted too). */
	public static Builder builder(URI baseUri) {
		return new Builder(baseUri);
	}

	/** {@code GET /api/health} (open: works without a credential). */
	public Health health() {
		return Health.from(getJson("/api/health"));
	}

	/** {@code GET /api/dn/{dn}}. */
	public Dn getDn(String dn) {
		return Dn.from(getJson("/api/dn/" + segment(dn)));
	}

	/** {@code GET /api/routing/dn/{dn}}: always an answer, also for an unknown DN and while Kamailio is away. */
	public RoutingAnswer route(String dn) {
		return RoutingAnswer.from(getJson("/api/routing/dn/" + segment(dn)));
	}

	/**
	 * {@code GET /api/routing/select}: one of up to 20 candidates, in order of preference.
	 * @param strategy "first", "least_busy" or "random"; null for "first"
	 */
	public RoutingAnswer selectRoute(List<String> candidates, String strategy) {
		Map<String, Object> query = new LinkedHashMap<>();
		query.put("candidates", String.join(",", candidates));
		query.put("strategy", strategy);
		return RoutingAnswer.from(getJson("/api/routing/select" + query(query)));
	}

	/** {@code GET /api/dn/list}. */
	public DnList listDns() {
		return DnList.from(getJson("/api/dn/list"));
	}

	/**
	 * {@code GET /api/genesys/status}. A 503 carrying the status fields ({@code connected} false) is returned as a
	 * value: it is an answer about Genesys. Any other error is thrown.
	 */
	public GenesysStatus genesysStatus() {
		try {
			return GenesysStatus.from(getJson("/api/genesys/status"));
		}
		catch (SignalingApiException ex) {
			if (ex.status() == 503 && ex.body() != null) {
				try {
					Map<String, Object> body = Json.parseObject(ex.body());
					if (body.get("connected") instanceof Boolean) {
						return GenesysStatus.from(body);
					}
				}
				catch (IllegalArgumentException notJson) {
					// fall through
				}
			}
			throw ex;
		}
	}

	/** {@code GET /api/calls/active}: the count and every active call. */
	public ActiveCalls activeCalls() {
		return ActiveCalls.from(getJson("/api/calls/active"));
	}

	/** The seed's {@code active_calls}: how many calls are active. */
	public int activeCallCount() {
		return activeCalls().activeCalls();
	}

	/** {@code GET /api/calls/dn/{dn}}: the agent's active calls. */
	public AgentCalls getAgentCalls(String dn) {
		return AgentCalls.from(getJson("/api/calls/dn/" + segment(dn)));
	}

	/** {@code GET /api/calls/{call_id}}. */
	public CallRecord getCall(String callId) {
		return CallRecord.from(getJson("/api/calls/" + segment(callId)));
	}

	/** {@code GET /api/calls/history}. */
	public CallHistory callHistory(CallHistory.Filter filter) {
		Map<String, Object> query = new LinkedHashMap<>();
		query.put("dn", filter.dn());
		query.put("since", filter.since());
		query.put("until", filter.until());
		query.put("end_cause", filter.endCause());
		query.put("limit", filter.limit());
		query.put("cursor", filter.cursor());
		return CallHistory.from(getJson("/api/calls/history" + query(query)));
	}

	/**
	 * {@code GET /api/calls?genesys_call_uuid=...}: the calls (live or ended, newest first) of a Genesys interaction,
	 * found by the X-Genesys-CallUUID that WWE knows.
	 */
	public List<CallRecord> callsOfGenesysInteraction(String genesysCallUuid) {
		Map<String, Object> query = new LinkedHashMap<>();
		query.put("genesys_call_uuid", genesysCallUuid);
		return Fields.list(getJson("/api/calls" + query(query)), "calls", CallRecord::from);
	}

	/** {@code POST /api/call/make} with a new Idempotency-Key. */
	public CallMade clickToDial(String from, String to) {
		return clickToDial(from, to, CallOptions.defaults());
	}

	/**
	 * {@code POST /api/call/make}. The Idempotency-Key ({@code options.idempotencyKey()}, else a random UUID) is
	 * the same on every retry of this call, so the service dials at most once; pass the returned
	 * {@link CallMade#idempotencyKey()} again to retry it yourself later.
	 */
	public CallMade clickToDial(String from, String to, CallOptions options) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("from", from);
		body.put("to", to);
		if (options.autoAnswer() != null) {
			body.put("auto_answer", options.autoAnswer());
		}
		if (options.callerId() != null) {
			body.put("caller_id", options.callerId());
		}
		if (options.timeoutSeconds() != null) {
			body.put("timeout", options.timeoutSeconds());
		}
		String key = (options.idempotencyKey() != null) ? options.idempotencyKey() : UUID.randomUUID().toString();
		Answer response;
		try {
			response = send(post("/api/call/make", body).header("Idempotency-Key", key), retries);
		}
		catch (SignalingApiException ex) {
			ex.idempotencyKey(key);
			throw ex;
		}
		catch (SignalingNetworkException ex) {
			// still no answer after the retries: clickToDial with this key later is still safe
			ex.idempotencyKey(key);
			throw ex;
		}
		boolean replayed = "true".equals(response.headers().firstValue("Idempotent-Replayed").orElse(null));
		return CallMade.from(Json.parseObject(response.body()), key, replayed);
	}

	/**
	 * {@code POST /api/call/hangup}. Not retried after a network error: the first request may have ended the call,
	 * and a retry could then answer 404; check {@link #getCall} instead.
	 */
	public HangupResult hangup(String callId) {
		Map<String, Object> body = Map.of("call_id", callId);
		return HangupResult.from(Json.parseObject(send(post("/api/call/hangup", body), 0).body()));
	}

	// ---- call control: calls the API placed through Asterisk (a 409 SignalingApiException otherwise) ----
	// Each request carries an Idempotency-Key (a random UUID) kept on its own retries after network errors.

	/** {@code POST /api/calls/{callId}/hold}: the customer on hold. */
	public ControlResult hold(String callId) {
		return control("POST", callPath(callId) + "/hold", null);
	}

	/** {@code POST /api/calls/{callId}/unhold}. */
	public ControlResult unhold(String callId) {
		return control("POST", callPath(callId) + "/unhold", null);
	}

	/** {@code POST /api/calls/{callId}/dtmf}: 1-32 of {@code 0-9*#A-D} toward the customer, 40-2000 ms each. */
	public ControlResult sendDtmf(String callId, String digits, int durationMs) {
		return control("POST", callPath(callId) + "/dtmf", Map.of("digits", digits, "duration_ms", durationMs));
	}

	/** {@code POST /api/calls/{callId}/mute}: direction "in", "out" or "all". */
	public ControlResult mute(String callId, String direction, boolean on) {
		return control("POST", callPath(callId) + "/mute", Map.of("direction", direction, "state", on ? "on" : "off"));
	}

	/** {@code POST /api/calls/{callId}/recording}: action "start", "stop", "pause" or "resume". */
	public ControlResult recording(String callId, String action) {
		return control("POST", callPath(callId) + "/recording", Map.of("action", action));
	}

	/** {@code POST /api/calls/{callId}/transfers}: mode "blind" or "attended"; {@code timeoutSeconds} 5-120. */
	public ControlResult transfer(String callId, String to, String mode, int timeoutSeconds) {
		return control("POST", callPath(callId) + "/transfers",
				Map.of("to", to, "mode", mode, "timeout", timeoutSeconds));
	}

	/** {@code GET /api/transfers/{transferId}}. */
	public ControlResult getTransfer(String transferId) {
		return ControlResult.from(getJson("/api/transfers/" + segment(transferId)), false);
	}

	/** {@code POST /api/transfers/{transferId}/complete}: the agent leaves an answered attended transfer. */
	public ControlResult completeTransfer(String transferId) {
		return control("POST", "/api/transfers/" + segment(transferId) + "/complete", null);
	}

	/** {@code DELETE /api/transfers/{transferId}}: the agent back with the customer. */
	public ControlResult cancelTransfer(String transferId) {
		return control("DELETE", "/api/transfers/" + segment(transferId), null);
	}

	/** {@code POST /api/calls/{callId}/monitors} (scope supervise): mode "listen", "whisper" or "barge". */
	public ControlResult monitor(String callId, String supervisorDn, String mode) {
		return control("POST", callPath(callId) + "/monitors", Map.of("supervisor_dn", supervisorDn, "mode", mode));
	}

	/** {@code PATCH /api/monitors/{monitorId}}: switches the mode mid-call. */
	public ControlResult monitorMode(String monitorId, String mode) {
		return control("PATCH", "/api/monitors/" + segment(monitorId), Map.of("mode", mode));
	}

	/** {@code DELETE /api/monitors/{monitorId}}: the supervisor leaves; the call goes on. */
	public ControlResult endMonitor(String monitorId) {
		return control("DELETE", "/api/monitors/" + segment(monitorId), null);
	}

	private ControlResult control(String method, String path, Map<String, Object> body) {
		HttpRequest.Builder request = jsonRequest(path).header("Idempotency-Key", UUID.randomUUID().toString());
		if (body != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(Json.write(body)));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		Answer response = send(request, retries);
		boolean replayed = "true".equals(response.headers().firstValue("Idempotent-Replayed").orElse(null));
		return ControlResult.from(Json.parseObject(response.body()), replayed);
	}

	private static String callPath(String callId) {
		return "/api/calls/" + segment(callId);
	}

	/**
	 * {@code POST /api/agent/sip-credentials} for the agent token's own DN. Safe to repeat, so retried after network
	 * errors like a read.
	 */
	public SipCredentials sipCredentials() {
		return SipCredentials.from(Json.parseObject(send(post("/api/agent/sip-credentials", Map.of()), retries).body()));
	}

	/**
	 * {@code POST /api/agent/sip-credentials} for {@code dn}: required with a {@code calls} key; an agent token may
	 * name only its own DN.
	 */
	public SipCredentials sipCredentials(String dn) {
		Map<String, Object> body = Map.of("dn", Objects.requireNonNull(dn, "dn"));
		return SipCredentials.from(Json.parseObject(send(post("/api/agent/sip-credentials", body), retries).body()));
	}

	/** Server-Sent Events: configure, then {@link EventSubscription.Builder#open()}. */
	public EventSubscription.Builder events() {
		return new EventSubscription.Builder(this);
	}

	// ---- internals, shared with EventSubscription ----

	HttpClient http() {
		return http;
	}

	URI uri(String pathAndQuery) {
		return URI.create(baseUri + pathAndQuery);
	}

	/** Every request to the service starts here, so every one says which client and version sent it. */
	HttpRequest.Builder request(String pathAndQuery) {
		return HttpRequest.newBuilder(uri(pathAndQuery)).header("User-Agent", ClientVersion.USER_AGENT);
	}

	HttpRequest.Builder authenticated(HttpRequest.Builder request) {
		if (apiKey != null) {
			request.header("X-API-Key", apiKey);
		}
		else if (bearerToken != null) {
			request.header("Authorization", "Bearer " + bearerToken.get());
		}
		return request;
	}

	Duration timeout() {
		return timeout;
	}

	static SignalingApiException error(int status, String body, HttpHeaders headers) {
		return SignalingApiException.of(status, body, headers.firstValue("X-Request-Id").orElse(null),
				retryAfter(headers.firstValue("Retry-After").orElse(null)));
	}

	static Duration retryAfter(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		if (value.trim().matches("\\d{1,9}")) {
			return Duration.ofSeconds(Long.parseLong(value.trim()));
		}
		try {
			Duration until = Duration.between(ZonedDateTime.now(),
					ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
			return until.isNegative() ? Duration.ZERO : until;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	static String query(Map<String, Object> values) {
		StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
		values.forEach((name, value) -> {
			if (value != null && !String.valueOf(value).isEmpty()) {
				query.add(name + "=" + URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
			}
		});
		return query.toString();
	}

	private static String segment(String value) {
		Objects.requireNonNull(value, "value");
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private Map<String, Object> getJson(String path) {
		return Json.parseObject(send(jsonRequest(path).GET(), retries).body());
	}

	private HttpRequest.Builder post(String path, Map<String, Object> body) {
		return jsonRequest(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
	}

	/**
	 * A request whose answer is JSON: it may come gzipped ({@link Bodies}), which {@link #send} decodes. Not the
	 * event stream's: gzip there would hold events back until a compressed block fills.
	 */
	private HttpRequest.Builder jsonRequest(String path) {
		return request(path).header("Accept", "application/json").header("Accept-Encoding", Bodies.ACCEPT_ENCODING);
	}

	/** A 2xx answer, its body decoded. */
	private record Answer(String body, HttpHeaders headers) {
	}

	private Answer send(HttpRequest.Builder request, int retries) {
		request.timeout(timeout);
		for (int attempt = 0;; attempt++) {
			HttpResponse<byte[]> response;
			try {
				// a new request per attempt: the bearer token is asked for again
				response = http.send(authenticated(request.copy()).build(), HttpResponse.BodyHandlers.ofByteArray());
			}
			catch (IOException ex) {
				if (attempt >= retries) {
					HttpRequest sent = request.build();
					boolean timedOut = ex instanceof HttpTimeoutException;
					throw new SignalingNetworkException(sent.method() + " " + sent.uri().getPath() + ": "
							+ (timedOut ? "no answer within " + timeout : ex), ex, timedOut);
				}
				sleep(retryDelay.multipliedBy(1L << Math.min(attempt, 10)));
				continue;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new SignalingNetworkException("interrupted", new InterruptedIOException(), false);
			}
			if (response.statusCode() / 100 == 2) {
				// an undecodable body is an IllegalArgumentException, as unparsable JSON is; not retried
				return new Answer(Bodies.text(response.body(), response.headers()), response.headers());
			}
			throw error(response);
		}
	}

	/** A non-2xx answer. One whose body cannot be decoded still has its status, like a proxy page that is not JSON. */
	private static SignalingApiException error(HttpResponse<byte[]> response) {
		try {
			return error(response.statusCode(), Bodies.text(response.body(), response.headers()), response.headers());
		}
		catch (IllegalArgumentException undecodable) {
			SignalingApiException error = error(response.statusCode(), null, response.headers());
			error.initCause(undecodable);
			return error;
		}
	}

	private static void sleep(Duration delay) {
		try {
			Thread.sleep(delay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SignalingNetworkException("interrupted", new InterruptedIOException(), false);
		}
	}

	/** Settings; only the base URI and a credential are needed. */
	public static final class Builder {

		private final URI baseUri;

		private String apiKey;

		private Supplier<String> bearerToken;

		private HttpClient httpClient;

		private SSLContext sslContext;

		private Duration timeout = Duration.ofSeconds(10);

		private Duration connectTimeout = Duration.ofSeconds(5);

		private int retries = 2;

		private Duration retryDelay = Duration.ofMillis(200);

		private Builder(URI baseUri) {
			this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
		}

		/** Sent as {@code X-API-Key}. */
		public Builder apiKey(String apiKey) {
			this.apiKey = apiKey;
			this.bearerToken = null;
			return this;
		}

		/** Sent as {@code Authorization: Bearer}, asked for before every request (a JWT that is refreshed). */
		public Builder bearerToken(Supplier<String> bearerToken) {
			this.bearerToken = bearerToken;
			this.apiKey = null;
			return this;
		}

		/** Your own client (then {@link #sslContext} and the connect timeout are its business). */
		public Builder httpClient(HttpClient httpClient) {
			this.httpClient = httpClient;
			return this;
		}

		/** E.g. one that trusts a private CA. */
		public Builder sslContext(SSLContext sslContext) {
			this.sslContext = sslContext;
			return this;
		}

		/** Per request, until the answer starts (the JDK client's request timeout). Default 10 s. */
		public Builder timeout(Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
			return this;
		}

		/** Retries after network errors for reads and make; default 2, first after {@code retryDelay}, doubling. */
		public Builder retries(int retries, Duration retryDelay) {
			this.retries = retries;
			this.retryDelay = retryDelay;
			return this;
		}

		public SignalingClient build() {
			return new SignalingClient(this);
		}

	}

}
