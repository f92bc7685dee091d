package org.signaling.api.security.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The WARN lines of refused requests (401, 403, 429; logger {@code security}), bounded per reason: at most
 * {@value #BURST} lines at once and {@value #PER_SECOND} a second after that, per event and reason (a denial's
 * reason, a rate limit's budget), as Bucket4j token buckets on the application clock. A line held back is counted in
 * {@code signaling.security.log_suppressed} (tags {@code event}, {@code reason}), and the next line of its reason
 * that gets through says how many were held back since the last one ({@code suppressed}). A flood of bad requests
 * thus writes a few lines a second instead of one per request, while {@code signaling.security.denied} and
 * {@code signaling.security.rate_limited} still count every refusal.
 * <p>
 * Reasons are a fixed set named by the code, never client values, so the table stays small.
 */
final class SecurityLog {

	static final String SUPPRESSED_METRIC = "signaling.security.log_suppressed";

	static final int BURST = 5;

	static final int PER_SECOND = 2;

	private static final Logger log = LoggerFactory.getLogger("security");

	private final ConcurrentMap<String, Reason> reasons = new ConcurrentHashMap<>();

	private final RateLimiter.ClockTimeMeter time;

	private final MeterRegistry meters;

	SecurityLog(Clock clock, MeterRegistry meters) {
		this.time = new RateLimiter.ClockTimeMeter(clock);
		this.meters = meters;
	}

	/**
	 * Writes one refusal's line, unless its reason has used up its lines for now.
	 * @param event {@code security.denied} or {@code security.rate_limited}, the line's {@code event}
	 * @param reason what the line is bounded by
	 * @param details adds the line's other key-value pairs
	 * @param message the message pattern and its arguments
	 */
	void warn(String event, String reason, UnaryOperator<LoggingEventBuilder> details, String message,
			Object... arguments) {
		if (!log.isWarnEnabled()) {
			return;
		}
		Reason budget = reasons.computeIfAbsent(event + " " + reason, (key) -> new Reason(event, reason));
		if (!budget.lines.tryConsume(1)) {
			budget.suppressed.incrementAndGet();
			budget.counter.increment();
			return;
		}
		long suppressed = budget.suppressed.getAndSet(0);
		LoggingEventBuilder line = details.apply(log.atWarn().addKeyValue("event", event));
		if (suppressed == 0) {
			line.log(message, arguments);
			return;
		}
		Object[] withCount = Arrays.copyOf(arguments, arguments.length + 1);
		withCount[arguments.length] = suppressed;
		line.addKeyValue("suppressed", suppressed)
			.log(message + " ({} similar lines suppressed since the last one)", withCount);
	}

	/** The lines one reason may still write, and what it held back. */
	private final class Reason {

		private final Bucket lines;

		private final AtomicLong suppressed = new AtomicLong();

		private final Counter counter;

		Reason(String event, String reason) {
			this.lines = Bucket.builder()
				.addLimit(Bandwidth.builder().capacity(BURST).refillGreedy(PER_SECOND, Duration.ofSeconds(1)).build())
				.withCustomTimePrecision(time)
				.build();
			this.counter = Counter.builder(SUPPRESSED_METRIC)
				.description("Security log lines held back (the refusals are still counted)")
				.tag("event", event)
				.tag("reason", reason)
				.register(meters);
		}

	}

}
