package org.signaling.client;

import java.io.IOException;

/** No answer from the service: connection refused or reset, TLS failure, or the request timeout passed. */
public class SignalingNetworkException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final boolean timeout;

	private String idempotencyKey;

	public SignalingNetworkException(String message, IOException cause, boolean timeout) {
		super(message, cause);
		this.timeout = timeout;
	}

	public boolean isTimeout() {
		return timeout;
	}

	/** Set on errors of {@code clickToDial}: the Idempotency-Key it sent, to retry the same call safely later. */
	public String idempotencyKey() {
		return idempotencyKey;
	}

	void idempotencyKey(String key) {
		this.idempotencyKey = key;
	}

}
