package org.signaling.api.webhooks.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

import org.jspecify.annotations.Nullable;
import org.signaling.api.webhooks.WebhookProperties;

/**
 * When a failed delivery is tried again: exponential backoff with full jitter. The delay is drawn at random (at
 * least 100 ms) below a ceiling that doubles, by default, after each failure, up to a maximum, so that deliveries
 * failing together do not come back together. Never later than the end of the retry period, so that the last
 * attempt is made then.
 */
public final class Backoff {

	static final long MIN_DELAY_MILLIS = 100;

	private final Duration initial;

	private final double multiplier;

	private final Duration max;

	private final Duration retryPeriod;

	private final DoubleSupplier jitter;

	/**
	 * @param jitter a number in [0, 1] per call: a random source in production, a fixed one in tests
	 */
	public Backoff(WebhookProperties properties, DoubleSupplier jitter) {
		this.initial = properties.backoffInitial();
		this.multiplier = properties.backoffMultiplier();
		this.max = properties.backoffMax();
		this.retryPeriod = properties.retryPeriod();
		this.jitter = jitter;
	}

	/** The ceiling of the delay after this many failed attempts (1 = after the first). */
	Duration ceiling(int failedAttempts) {
		double millis = initial.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempts - 1));
		return (millis >= max.toMillis()) ? max : Duration.ofMillis((long) millis);
	}

	/** The next attempt after a failure, or null when the retry period is over: the delivery is then dead. */
	@Nullable Instant nextAttempt(int failedAttempts, Instant retryFrom, Instant now) {
		Instant deadline = retryFrom.plus(retryPeriod);
		if (!now.isBefore(deadline)) {
			return null;
		}
		double factor = Math.min(1.0, Math.max(0.0, jitter.getAsDouble()));
		long ceiling = ceiling(failedAttempts).toMillis();
		// A floor, so that an unlucky draw near zero cannot turn retries into a tight loop.
		long delay = Math.max(Math.min(MIN_DELAY_MILLIS, ceiling), (long) (ceiling * factor));
		Instant next = now.plusMillis(delay);
		return next.isAfter(deadline) ? deadline : next;
	}

}
