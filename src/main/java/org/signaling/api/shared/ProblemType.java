package org.signaling.api.shared;

import java.net.URI;
import java.util.Arrays;
import java.util.Optional;

import org.springframework.http.HttpStatus;

/**
 * The catalogue of problem types: what an integrator branches on when {@code status} alone does not tell ("DN not
 * found" and "call not found" are both 404). Each is {@code urn:signaling-api:problem:<id>}; a failure none of them
 * names gets a type derived from its status ({@link Problems#typeFor}). The OpenAPI document and docs/api.md list
 * them from here.
 */
public enum ProblemType {

	INVALID_DN("invalid-dn", HttpStatus.BAD_REQUEST, "Invalid DN", "A DN does not match the DN grammar"),

	INVALID_PARAMETER("invalid-parameter", HttpStatus.BAD_REQUEST, "Invalid parameter",
			"A field, query parameter or header does not match its grammar (`Invalid <name>: ...`)"),

	MISSING_PARAMETER("missing-parameter", HttpStatus.BAD_REQUEST, "Missing parameter",
			"A required field is absent (`Missing required parameter: <name>`)"),

	MISSING_BODY("missing-body", HttpStatus.BAD_REQUEST, "Missing request body", "A POST without a body"),

	MALFORMED_JSON("malformed-json", HttpStatus.BAD_REQUEST, "Malformed JSON", "The body is not the JSON expected"),

	MALFORMED_REQUEST("malformed-request", HttpStatus.BAD_REQUEST, "Malformed request",
			"The URL, the query string, a header or the transfer coding cannot be accepted"),

	AUTHENTICATION_REQUIRED("authentication-required", HttpStatus.UNAUTHORIZED, "Authentication required",
			"No API key and no token"),

	INVALID_CREDENTIAL("invalid-credential", HttpStatus.UNAUTHORIZED, "Invalid credential",
			"An unknown API key, or an invalid or expired token"),

	FORBIDDEN_SCOPE("forbidden-scope", HttpStatus.FORBIDDEN, "Missing scope",
			"The credential lacks the scope the endpoint needs"),

	DN_ACCESS_DENIED("dn-access-denied", HttpStatus.FORBIDDEN, "DN access denied",
			"An agent token acting for another DN than its own"),

	ORIGIN_NOT_ALLOWED("origin-not-allowed", HttpStatus.FORBIDDEN, "Origin not allowed",
			"A cross-origin request from an origin not in `signaling.security.cors.allowed-origins`"),

	NOT_FOUND("not-found", HttpStatus.NOT_FOUND, "Not found", "No such path"),

	DN_NOT_FOUND("dn-not-found", HttpStatus.NOT_FOUND, "DN not found",
			"A well-formed DN that is neither registered nor in the directory"),

	CALL_NOT_FOUND("call-not-found", HttpStatus.NOT_FOUND, "Call not found", "No call with this id"),

	CONTROL_NOT_FOUND("control-not-found", HttpStatus.NOT_FOUND, "Transfer or monitor not found",
			"No transfer or monitor with this id"),

	WEBHOOK_NOT_FOUND("webhook-not-found", HttpStatus.NOT_FOUND, "Webhook not found",
			"No such webhook subscription or delivery"),

	METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed",
			"The path exists, not with this method"),

	NOT_ACCEPTABLE("not-acceptable", HttpStatus.NOT_ACCEPTABLE, "Not acceptable",
			"The Accept header excludes application/json"),

	MEDIA_PATH_REQUIRED("media-path-required", HttpStatus.CONFLICT, "Asterisk not in the media path",
			"Hold, DTMF, mute, transfers, recording and monitors need a call with a leg in Asterisk"),

	CALL_CONTROL_CONFLICT("call-control-conflict", HttpStatus.CONFLICT, "Call control conflict",
			"The call cannot take this now: not answered yet, ended, or a transfer already in progress"),

	WEBHOOK_CONFLICT("webhook-conflict", HttpStatus.CONFLICT, "Webhook conflict",
			"Too many subscriptions, or a change to one defined in configuration"),

	PAYLOAD_TOO_LARGE("payload-too-large", HttpStatus.CONTENT_TOO_LARGE, "Payload too large",
			"The body is over `signaling.api.max-request-body`"),

	UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
			"A body that is not application/json"),

	IDEMPOTENCY_CONFLICT("idempotency-conflict", HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency-Key conflict",
			"The Idempotency-Key was used for a different request"),

	CALL_TO_SELF("call-to-self", HttpStatus.UNPROCESSABLE_CONTENT, "Call to self",
			"`from` and `to` are the same DN"),

	RATE_LIMITED("rate-limited", HttpStatus.TOO_MANY_REQUESTS, "Rate limited",
			"Over a rate limit; Retry-After says when to try again"),

	TOO_MANY_STREAMS("too-many-streams", HttpStatus.TOO_MANY_REQUESTS, "Too many event streams",
			"The credential holds its most event streams; Retry-After says when one is freed"),

	INTERNAL_ERROR("internal-error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "A bug: see the logs"),

	PBX_REJECTED("pbx-rejected", HttpStatus.BAD_GATEWAY, "PBX rejected",
			"Asterisk is reachable but refused the action, with its reason"),

	KAMAILIO_UNREACHABLE("kamailio-unreachable", HttpStatus.SERVICE_UNAVAILABLE, "Kamailio unreachable",
			"Kamailio does not answer, or its live view is not ready"),

	ASTERISK_UNREACHABLE("asterisk-unreachable", HttpStatus.SERVICE_UNAVAILABLE, "Asterisk unreachable",
			"Asterisk does not answer AMI, or lost the connection mid-answer"),

	DATABASE_UNAVAILABLE("database-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Database unavailable",
			"The database (calls, Idempotency-Keys, webhooks) cannot be reached"),

	BACKEND_UNAVAILABLE("backend-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
			"Another part of the service cannot answer now (the event stream while stopping or full)"),

	SIP_CREDENTIALS_NOT_CONFIGURED("sip-credentials-not-configured", HttpStatus.SERVICE_UNAVAILABLE,
			"SIP credentials not configured", "No `SIP_AUTH_SECRET`: the service cannot issue SIP credentials");

	static final String PREFIX = "urn:signaling-api:problem:";

	private final String id;

	private final HttpStatus status;

	private final String title;

	private final String when;

	ProblemType(String id, HttpStatus status, String title, String when) {
		this.id = id;
		this.status = status;
		this.title = title;
		this.when = when;
	}

	/** The short id, e.g. {@code dn-not-found}. */
	public String id() {
		return this.id;
	}

	public URI uri() {
		return URI.create(PREFIX + this.id);
	}

	public HttpStatus status() {
		return this.status;
	}

	public String title() {
		return this.title;
	}

	/** When a client gets it, for the published documentation. */
	public String when() {
		return this.when;
	}

	/** The catalogue's type with this URI, if it is one. */
	public static Optional<ProblemType> of(URI type) {
		return Arrays.stream(values()).filter((candidate) -> candidate.uri().equals(type)).findFirst();
	}

}
