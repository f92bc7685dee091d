package org.signaling.api.security.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.signaling.api.security.ApiPrincipal;
import org.signaling.api.security.ApiSecurityProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request budgets ({@code signaling.security.rate-limits}), as in-memory token buckets (Bucket4j) that refill
 * greedily: per client IP per minute, per credential per hour (a key's own {@code requests-per-hour} when set), for
 * {@code POST /api/call/make} per credential per second (a key's own {@code calls-per-second}) and in total per
 * second, and for {@code POST /api/agent/sip-credentials} per credential per second (the same limit as make, in a
 * bucket of its own: a server that fetches credentials for many agents at a shift's start does not hold back its
 * calls). Time is the application's {@link Clock}. On PostgreSQL every budget also has a copy that all replicas draw
 * from ({@link SharedBudgets}), so the limits hold for the whole cluster; these buckets stay the first line.
 * <p>
 * Memory is bounded two ways. A bucket unused for its whole window is full again, so dropping it loses nothing:
 * {@link #evictIdle()} drops those, and runs by itself on a request at most once a minute, so nothing needs to be
 * scheduled. And each table (IPs, credentials, make-call credentials) tracks at most {@code maxTrackedPerTable}
 * keys: when a new key arrives at a full table, idle entries are dropped first (at most once a second); if it is still
 * full, the newcomer is not tracked but shares one overflow bucket (the default limit) with every other newcomer
 * until entries expire. A flood of spoofed or rotating addresses thus gets one budget between them, while clients
 * already tracked keep theirs; a warning is logged (at most once a minute per table).
 */
final class RateLimiter {

	static final int DEFAULT_MAX_TRACKED_PER_TABLE = 100_000;

	private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	private static final long SWEEP_INTERVAL_NANOS = 60 * NANOS_PER_SECOND;

	private static final long FULL_TABLE_SWEEP_INTERVAL_NANOS = NANOS_PER_SECOND;

	private static final long FULL_TABLE_WARNING_INTERVAL_NANOS = 60 * NANOS_PER_SECOND;

	private final ApiSecurityProperties.RateLimits limits;

	private final TimeMeter time;

	private final Table ips;

	private final Table credentials;

	private final Table makeCredentials;

	private final Table sipCredentials;

	private final Entry makeTotal;

	private final AtomicLong lastSweep;

	private final SharedBudgets shared;

	RateLimiter(ApiSecurityProperties.RateLimits limits, Clock clock) {
		this(limits, clock, DEFAULT_MAX_TRACKED_PER_TABLE, SharedBudgets.NONE);
	}

	RateLimiter(ApiSecurityProperties.RateLimits limits, Clock clock, SharedBudgets shared) {
		this(limits, clock, DEFAULT_MAX_TRACKED_PER_TABLE, shared);
	}

	RateLimiter(ApiSecurityProperties.RateLimits limits, Clock clock, int maxTrackedPerTable) {
		this(limits, clock, maxTrackedPerTable, SharedBudgets.NONE);
	}

	RateLimiter(ApiSecurityProperties.RateLimits limits, Clock clock, int maxTrackedPerTable, SharedBudgets shared) {
		if (maxTrackedPerTable < 1) {
			throw new IllegalArgumentException("maxTrackedPerTable must be at least 1");
		}
		this.shared = shared;
		this.limits = limits;
		this.time = new ClockTimeMeter(clock);
		this.ips = new Table("client IPs", Limit.IP, limits.perIpPerMinute(), maxTrackedPerTable);
		this.credentials = new Table("credentials", Limit.CREDENTIAL, limits.perCredentialPerHour(),
				maxTrackedPerTable);
		this.makeCredentials = new Table("make-call credentials", Limit.MAKE_CREDENTIAL,
				limits.makePerSecondPerCredential(), maxTrackedPerTable);
		this.sipCredentials = new Table("SIP-credential credentials", Limit.SIP_CREDENTIALS,
				limits.makePerSecondPerCredential(), maxTrackedPerTable);
		long now = time.currentTimeNanos();
		this.makeTotal = newEntry(Limit.MAKE_TOTAL, "total", limits.makePerSecondTotal(), now);
		this.lastSweep = new AtomicLong(now);
	}

	/** Takes one request from the client IP's budget. */
	Result checkIp(String clientIp) {
		long now = time.currentTimeNanos();
		sweepIfDue(now);
		return consume(ips.entry(clientIp, limits.perIpPerMinute(), now));
	}

	/**
	 * Takes one request from the credential's hourly budget and, for a make-call request, one call from its per-second
	 * budget and from the total; for a SIP-credential request, one from its per-second budget of those. A request
	 * refused by one budget takes nothing from the others (what was taken is put back).
	 * @return the refusal, else the tightest of the budgets that applied (fewest remaining)
	 */
	Result checkCredential(ApiPrincipal principal, PerSecond perSecond) {
		long now = time.currentTimeNanos();
		sweepIfDue(now);
		List<Entry> taken = new ArrayList<>(3);
		Entry hourly = credentials.entry(principal.id(), requestsPerHour(principal), now);
		Result tightest = consume(hourly);
		if (!tightest.allowed() || perSecond == PerSecond.NONE) {
			return tightest;
		}
		taken.add(hourly);
		List<Entry> perSecondBudgets = switch (perSecond) {
			case MAKE_CALL -> List.of(makeCredentials.entry(principal.id(), callsPerSecond(principal), now), makeTotal);
			case SIP_CREDENTIALS -> List.of(sipCredentials.entry(principal.id(), callsPerSecond(principal), now));
			case NONE -> List.of();
		};
		for (Entry entry : perSecondBudgets) {
			Result result = consume(entry);
			if (!result.allowed()) {
				taken.forEach(this::refund);
				return result;
			}
			taken.add(entry);
			tightest = Result.tighter(tightest, result);
		}
		return tightest;
	}

	/** Drops every bucket unused for its whole window (which is full again). Safe to call at any time. */
	void evictIdle() {
		evictIdle(time.currentTimeNanos());
	}

	/** How many keys each table tracks now: client IPs, credentials, make-call credentials, SIP-credential ones. */
	int[] trackedKeys() {
		return new int[] { ips.entries.size(), credentials.entries.size(), makeCredentials.entries.size(),
				sipCredentials.entries.size() };
	}

	private int requestsPerHour(ApiPrincipal principal) {
		Integer own = principal.requestsPerHour();
		return (own != null) ? own : limits.perCredentialPerHour();
	}

	private int callsPerSecond(ApiPrincipal principal) {
		Integer own = principal.callsPerSecond();
		return (own != null) ? own : limits.makePerSecondPerCredential();
	}

	private void sweepIfDue(long now) {
		long last = lastSweep.get();
		if (now - last >= SWEEP_INTERVAL_NANOS && lastSweep.compareAndSet(last, now)) {
			evictIdle(now);
		}
	}

	private void evictIdle(long now) {
		ips.evictIdle(now);
		credentials.evictIdle(now);
		makeCredentials.evictIdle(now);
		sipCredentials.evictIdle(now);
	}

	private Entry newEntry(Limit limit, String key, long capacity, long now) {
		Bucket bucket = Bucket.builder().addLimit(bandwidth(limit, capacity)).withCustomTimePrecision(time).build();
		return new Entry(limit, key, bucket, capacity, now);
	}

	private static Bandwidth bandwidth(Limit limit, long capacity) {
		return Bandwidth.builder().capacity(capacity).refillGreedy(capacity, limit.window).build();
	}

	/** This replica's bucket first; then, if it allows, the cluster's (what this one took is put back on a refusal). */
	private Result consume(Entry entry) {
		Result local = result(entry, entry.bucket.tryConsumeAndReturnRemaining(1));
		if (!local.allowed()) {
			return local;
		}
		ConsumptionProbe probe;
		try {
			Bucket cluster = sharedBucketOf(entry);
			if (cluster == null) {
				return local;
			}
			probe = cluster.tryConsumeAndReturnRemaining(1);
		}
		catch (RuntimeException ex) {
			shared.unreachable(ex);
			return local;
		}
		Result whole = result(entry, probe);
		if (!whole.allowed()) {
			entry.bucket.addTokens(1);
			return whole;
		}
		return Result.tighter(local, whole);
	}

	private void refund(Entry entry) {
		entry.bucket.addTokens(1);
		try {
			Bucket cluster = sharedBucketOf(entry);
			if (cluster != null) {
				cluster.addTokens(1);
			}
		}
		catch (RuntimeException ex) {
			shared.unreachable(ex);
		}
	}

	/** The entry's shared bucket, made at its first use; null when budgets are not shared or are away. */
	private @Nullable Bucket sharedBucketOf(Entry entry) {
		if (!shared.reachable()) {
			return null;
		}
		Bucket cluster = entry.shared;
		if (cluster == null) {
			cluster = shared.bucket(entry.limit, entry.key, entry.capacity);
			entry.shared = cluster;
		}
		return cluster;
	}

	private static Result result(Entry entry, ConsumptionProbe probe) {
		if (probe.isConsumed()) {
			return new Result(entry.limit, true, entry.capacity, probe.getRemainingTokens(),
					secondsRoundedUp(probe.getNanosToWaitForReset()), 0);
		}
		long retryAfter = Math.max(1, secondsRoundedUp(probe.getNanosToWaitForRefill()));
		return new Result(entry.limit, false, entry.capacity, probe.getRemainingTokens(), retryAfter, retryAfter);
	}

	private static long secondsRoundedUp(long nanos) {
		return (nanos <= 0) ? 0 : (nanos - 1) / NANOS_PER_SECOND + 1;
	}

	/** Which budget a result is about; {@link #tag()} is the {@code limit} tag of the metric and the log line. */
	enum Limit {

		IP("ip", Duration.ofMinutes(1)), CREDENTIAL("credential", Duration.ofHours(1)),
		MAKE_CREDENTIAL("make_credential", Duration.ofSeconds(1)), MAKE_TOTAL("make_total", Duration.ofSeconds(1)),
		SIP_CREDENTIALS("sip_credentials", Duration.ofSeconds(1));

		private final String tag;

		private final Duration window;

		Limit(String tag, Duration window) {
			this.tag = tag;
			this.window = window;
		}

		String tag() {
			return tag;
		}

		Duration window() {
			return window;
		}

	}

	/** Which per-second budgets a request spends beside its hourly one. */
	enum PerSecond {

		NONE, MAKE_CALL, SIP_CREDENTIALS

	}

	/**
	 * One budget's answer to one request.
	 * @param kind which budget
	 * @param allowed whether the request may go on
	 * @param limit the budget's capacity per window ({@code RateLimit-Limit})
	 * @param remaining requests left right now ({@code RateLimit-Remaining})
	 * @param resetSeconds allowed: seconds until the budget is full again; refused: seconds until the next request
	 * is allowed ({@code RateLimit-Reset}); rounded up
	 * @param retryAfterSeconds refused: seconds until the next request is allowed, rounded up, at least 1
	 * ({@code Retry-After}); 0 when allowed
	 */
	record Result(Limit kind, boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {

		/** The tighter of two results: a refusal (the longer wait), else the one with fewer requests remaining. */
		static Result tighter(@Nullable Result first, Result second) {
			if (first == null) {
				return second;
			}
			if (first.allowed != second.allowed) {
				return first.allowed ? second : first;
			}
			if (!first.allowed) {
				return (second.retryAfterSeconds > first.retryAfterSeconds) ? second : first;
			}
			if (first.remaining != second.remaining) {
				return (second.remaining < first.remaining) ? second : first;
			}
			return (second.resetSeconds > first.resetSeconds) ? second : first;
		}

		/** Sets the IETF draft's {@code RateLimit-*} headers and, for a refusal, {@code Retry-After}. */
		void writeHeaders(HttpServletResponse response) {
			response.setHeader("RateLimit-Limit", Long.toString(limit));
			response.setHeader("RateLimit-Remaining", Long.toString(remaining));
			response.setHeader("RateLimit-Reset", Long.toString(resetSeconds));
			if (!allowed) {
				response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
			}
		}

	}

	/**
	 * The application clock as Bucket4j's time source, so a test clock moves the buckets. It never runs backwards: a
	 * wall clock stepped back (NTP) would otherwise stop every refill until it caught up, make-call budget included.
	 */
	static final class ClockTimeMeter implements TimeMeter {

		private final Clock clock;

		private long last = Long.MIN_VALUE;

		private long offset;

		ClockTimeMeter(Clock clock) {
			this.clock = clock;
		}

		@Override
		public synchronized long currentTimeNanos() {
			Instant instant = clock.instant();
			long now = instant.getEpochSecond() * NANOS_PER_SECOND + instant.getNano() + offset;
			if (now < last) {
				offset += last - now;
				now = last;
			}
			last = now;
			return now;
		}

		@Override
		public boolean isWallClockBased() {
			return true;
		}

	}

	/** A bucket and when it was last used. */
	private static final class Entry {

		private final Limit limit;

		/** The client IP, credential, "total" or "overflow": the shared bucket's key within its budget. */
		private final String key;

		private final Bucket bucket;

		/** The cluster's copy (see {@link SharedBudgets}), made at first use; a new one when the capacity changes. */
		private volatile @Nullable Bucket shared;

		private volatile long capacity;

		private volatile long lastUsed;

		Entry(Limit limit, String key, Bucket bucket, long capacity, long lastUsed) {
			this.key = key;
			this.limit = limit;
			this.bucket = bucket;
			this.capacity = capacity;
			this.lastUsed = lastUsed;
		}

		/** A credential's limit changed (two keys of one name with different limits): keep its tokens, new limit. */
		void adjust(long newCapacity) {
			if (capacity == newCapacity) {
				return;
			}
			synchronized (this) {
				if (capacity != newCapacity) {
					bucket.replaceConfiguration(
							BucketConfiguration.builder().addLimit(bandwidth(limit, newCapacity)).build(),
							TokensInheritanceStrategy.AS_IS);
					capacity = newCapacity;
					shared = null;
				}
			}
		}

	}

	/** The buckets of one kind, by key, with the cap described on the class. */
	private final class Table {

		private final String name;

		private final Limit limit;

		private final long windowNanos;

		private final int maxEntries;

		private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

		private final Entry overflow;

		private final AtomicLong lastFullSweep;

		private final AtomicLong lastFullWarning;

		Table(String name, Limit limit, long defaultCapacity, int maxEntries) {
			this.name = name;
			this.limit = limit;
			this.windowNanos = limit.window.toNanos();
			this.maxEntries = maxEntries;
			long now = time.currentTimeNanos();
			this.overflow = newEntry(limit, "overflow", defaultCapacity, now);
			this.lastFullSweep = new AtomicLong(now - FULL_TABLE_SWEEP_INTERVAL_NANOS);
			this.lastFullWarning = new AtomicLong(now - FULL_TABLE_WARNING_INTERVAL_NANOS);
		}

		Entry entry(String key, long capacity, long now) {
			if (!entries.containsKey(key) && entries.size() >= maxEntries && !makeRoom(now)) {
				return overflow;
			}
			// Touched inside compute, so a concurrent eviction (computeIfPresent) cannot drop an entry in use.
			Entry entry = entries.compute(key, (k, existing) -> {
				Entry found = (existing != null) ? existing : newEntry(limit, key, capacity, now);
				found.lastUsed = now;
				return found;
			});
			entry.adjust(capacity);
			return entry;
		}

		private boolean makeRoom(long now) {
			long last = lastFullSweep.get();
			if (now - last >= FULL_TABLE_SWEEP_INTERVAL_NANOS && lastFullSweep.compareAndSet(last, now)) {
				evictIdle(now);
			}
			if (entries.size() < maxEntries) {
				return true;
			}
			long warned = lastFullWarning.get();
			if (now - warned >= FULL_TABLE_WARNING_INTERVAL_NANOS && lastFullWarning.compareAndSet(warned, now)) {
				log.warn("Rate limiter tracks {} {}, its cap: new ones share one {} budget until entries expire "
						+ "(a flood of addresses, or a cap too small)", entries.size(), name, limit.tag);
			}
			return false;
		}

		void evictIdle(long now) {
			for (String key : entries.keySet()) {
				entries.computeIfPresent(key, (k, entry) -> (now - entry.lastUsed >= windowNanos) ? null : entry);
			}
		}

	}

}
