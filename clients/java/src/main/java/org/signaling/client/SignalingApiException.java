package org.signaling.client;

import java.time.Duration;
import java.util.Map;

/**
 * The service answered with a non-2xx status: {@link #status()}, the server's {@code error} as the message,
 * the {@code X-Request-Id} to quote in a support ticket, and {@code Retry-After} (429, 503) when given.
 */
public class SignalingApiException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final int status;

	private final String error;

	private final String body;

	private final String requestId;

	private final transient Duration retryAfter;

	private String idempotencyKey;

	public SignalingApiException(int status, String error, String body, String requestId, Duration retryAfter) {
		super(status + " " + error + ((requestId != null) ? " (request " + requestId + ")" : ""));
		this.status = status;
		this.error = error;
		this.body = body;
		this.requestId = requestId;
		this.retryAfter = retryAfter;
	}

	static SignalingApiException of(int status, String body, String requestId, Duration retryAfter) {
		String error = "HTTP " + status;
		try {
			Object value = Map.of("error", error);
			if (body != null && !body.isBlank()) {
				value = Json.parse(body);
			}
			if (value instanceof Map<?, ?> map && map.get("error") instanceof String message) {
				error = message;
			}
		}
		catch (IllegalArgumentException notJson) {
			// a proxy's HTML page: the status says enough
		}
		return new SignalingApiException(status, error, body, requestId, retryAfter);
	}

	public int status() {
		return status;
	}

	/** The server's {@code error}, e.g. "DN not found: 5999", or "HTTP 502" for a body without one. */
	public String error() {
		return error;
	}

	/** The response body as received. */
	public String body() {
		return body;
	}

	/** {@code X-Request-Id} of the answer, or null. */
	public String requestId() {
		return requestId;
	}

	/** {@code Retry-After}, or null. */
	public Duration retryAfter() {
		return retryAfter;
	}

	/** Set on errors of {@code clickToDial}: the Idempotency-Key it sent, to retry the same call safely later. */
	public String idempotencyKey() {
		return idempotencyKey;
	}

	void idempotencyKey(String key) {
		this.idempotencyKey = key;
	}

	public boolean isNotFound() {
		return status == 404;
	}

	public boolean isRateLimited() {
		return status == 429;
	}

	public boolean isUnavailable() {
		return status == 503;
	}

}
