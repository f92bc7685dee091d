package org.signaling.api.call;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/** A validated {@code POST /api/call/make}: every value matches its grammar. */
public record MakeCallCommand(String from, String to, @Nullable String callerId, boolean autoAnswer,
		Duration ringTimeout) {

	/** Identifies the request for Idempotency-Key reuse checks. */
	public String fingerprint() {
		return from + "|" + to + "|" + callerId + "|" + autoAnswer + "|" + ringTimeout.toSeconds();
	}

}
