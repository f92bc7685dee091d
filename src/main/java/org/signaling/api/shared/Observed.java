package org.signaling.api.shared;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * A value read from a backend's live state, with the instant it was observed. Reads are served from memory; this
 * is how a response tells its client how old its data is.
 *
 * @param value what was observed
 * @param observedAt when the backend was asked (the start of the refresh that produced it)
 */
public record Observed<T>(T value, Instant observedAt) {

	/** Response header carrying the age of the data in the body, in milliseconds. */
	public static final String AGE_HEADER = "X-State-Age-Ms";

	public Duration age(Clock clock) {
		Duration age = Duration.between(observedAt, clock.instant());
		return age.isNegative() ? Duration.ZERO : age;
	}

	public <R> Observed<R> map(Function<? super T, ? extends R> mapper) {
		return new Observed<>(mapper.apply(value), observedAt);
	}

	/** The older of two observations, for a response built from both. */
	public Instant olderOf(Observed<?> other) {
		return observedAt.isBefore(other.observedAt) ? observedAt : other.observedAt;
	}

}
