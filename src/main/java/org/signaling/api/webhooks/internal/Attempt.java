package org.signaling.api.webhooks.internal;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One attempt of a delivery.
 *
 * @param attempt 1, 2, 3...
 * @param attemptedAt when the attempt started
 * @param durationMillis how long it took, until the answer, the timeout or the error
 * @param statusCode the subscriber's HTTP status, if it answered
 * @param error why it failed; null when delivered
 */
public record Attempt(int attempt, Instant attemptedAt, long durationMillis, @Nullable Integer statusCode,
		@Nullable String error) {
}
