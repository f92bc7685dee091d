package org.signaling.client;

/**
 * The optional parts of a click-to-dial: {@code autoAnswer} (the agent's softphone answers by itself),
 * {@code callerId} (the number the destination sees), {@code timeoutSeconds} (agent ring time, 1–120) and the
 * {@code idempotencyKey} (default: a new random UUID per call).
 */
public record CallOptions(Boolean autoAnswer, String callerId, Integer timeoutSeconds, String idempotencyKey) {

	public static CallOptions defaults() {
		return new CallOptions(null, null, null, null);
	}

	public CallOptions autoAnswer(boolean autoAnswer) {
		return new CallOptions(autoAnswer, callerId, timeoutSeconds, idempotencyKey);
	}

	public CallOptions callerId(String callerId) {
		return new CallOptions(autoAnswer, callerId, timeoutSeconds, idempotencyKey);
	}

	public CallOptions timeoutSeconds(int timeoutSeconds) {
		return new CallOptions(autoAnswer, callerId, timeoutSeconds, idempotencyKey);
	}

	public CallOptions idempotencyKey(String idempotencyKey) {
		return new CallOptions(autoAnswer, callerId, timeoutSeconds, idempotencyKey);
	}

}
