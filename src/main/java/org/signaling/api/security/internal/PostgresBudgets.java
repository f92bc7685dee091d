package org.signaling.api.security.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariDataSource;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimization;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.signaling.api.shared.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared budgets in PostgreSQL, with Bucket4j's PostgreSQL backend (a row per budget and key in
 * {@code rate_limit_bucket}, read and written under {@code SELECT ... FOR UPDATE}).
 * <p>
 * What keeps a request cheap: a budget of 40 or more per minute or hour is consumed from a local copy that is
 * synchronised with its row at most once a second or every twentieth of its capacity (Bucket4j's delaying
 * optimisation: the cluster may overshoot by that much per replica); the others (per-second and small budgets) are
 * exact, with concurrent requests batched into one round trip.
 * <p>
 * What keeps a database outage from holding requests: a pool of its own whose connection waits and statements are
 * bounded to a quarter of a second, and, after a failure, five seconds in which requests are judged by each
 * replica's own buckets alone.
 */
final class PostgresBudgets implements SharedBudgets, AutoCloseable {

	static final String TABLE = "rate_limit_bucket";

	private static final Logger log = LoggerFactory.getLogger(PostgresBudgets.class);

	private static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(5);

	private static final Duration MAX_WAIT = Duration.ofMillis(250);

	/** Keys longer than this (a long token subject) are stored as their SHA-256. */
	private static final int MAX_KEY = 150;

	private final HikariDataSource pool;

	private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

	private final Clock clock;

	private final Counter failures;

	private final AtomicLong pausedUntilMillis = new AtomicLong();

	PostgresBudgets(HikariDataSource pool, Clock clock, MeterRegistry meters) {
		this.pool = pool;
		this.clock = clock;
		this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(pool)
			.primaryKeyMapper(PrimaryKeyMapper.STRING)
			.table(TABLE)
			.clientClock(new RateLimiter.ClockTimeMeter(clock))
			.requestTimeout(MAX_WAIT)
			// A row outlives its last use by as long as its bucket takes to fill up, plus a minute.
			.expirationAfterWrite(
					ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
			.build();
		this.failures = Counter.builder("signaling.ratelimit.shared.failures")
			.description("Shared (cluster) rate-limit budgets that could not be reached; the replica's own decided")
			.register(meters);
	}

	/** The pool of the shared budgets: small, and never waiting long for the database. */
	static HikariDataSource poolFor(String url, String username, String password) {
		HikariDataSource pool = new HikariDataSource();
		pool.setPoolName("rate-limits");
		pool.setJdbcUrl(url);
		pool.setUsername(username);
		pool.setPassword(password);
		pool.setMaximumPoolSize(4);
		pool.setMinimumIdle(0);
		pool.setConnectionTimeout(MAX_WAIT.toMillis());
		pool.setValidationTimeout(MAX_WAIT.toMillis());
		// No connection at start-up: an outage then must not keep the service from starting.
		pool.setInitializationFailTimeout(-1);
		return pool;
	}

	@Override
	public Bucket bucket(RateLimiter.Limit limit, String key, long capacity) {
		// Exact for per-second and small budgets; a large one may be overshot by a twentieth per replica.
		Optimization optimization = (limit.window().compareTo(Duration.ofMinutes(1)) >= 0 && capacity >= 40)
				? Optimizations.delaying(new DelayParameters(capacity / 20, Duration.ofSeconds(1)))
				: Optimizations.batching();
		BucketConfiguration configuration = BucketConfiguration.builder()
			.addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(capacity, limit.window()).build())
			.build();
		return buckets.builder()
			.withOptimization(optimization)
			// A credential whose limit changed gets the new capacity, with the tokens it had.
			.withImplicitConfigurationReplacement(capacity, TokensInheritanceStrategy.AS_IS)
			.build(limit.tag() + ":" + bounded(key), () -> configuration);
	}

	@Override
	public boolean reachable() {
		return clock.millis() >= pausedUntilMillis.get();
	}

	@Override
	public void unreachable(RuntimeException failure) {
		failures.increment();
		long until = clock.millis() + PAUSE_AFTER_FAILURE.toMillis();
		long before = pausedUntilMillis.getAndSet(until);
		if (clock.millis() >= before) {
			log.warn("Shared rate limits unreachable; each replica's own limits apply for {}: {}", PAUSE_AFTER_FAILURE,
					Failures.describe(failure));
		}
	}

	/** Deletes at most {@code limit} rows unused for longer than their bucket takes to fill up again. */
	int removeExpired(int limit) {
		return buckets.removeExpired(limit);
	}

	@Override
	public void close() {
		pool.close();
	}

	private static String bounded(String key) {
		if (key.length() <= MAX_KEY) {
			return key;
		}
		try {
			return "sha256:" + HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
