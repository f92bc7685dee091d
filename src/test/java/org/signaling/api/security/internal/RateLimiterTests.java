package org.signaling.api.security.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.signaling.api.security.ApiPrincipal;
import org.signaling.api.security.ApiSecurityProperties;
import org.signaling.api.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.signaling.api.security.internal.RateLimiter.PerSecond.MAKE_CALL;
import static org.signaling.api.security.internal.RateLimiter.PerSecond.NONE;
import static org.signaling.api.security.internal.RateLimiter.PerSecond.SIP_CREDENTIALS;

class RateLimiterTests {

	/** The default health-probe networks. */
	static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1/128");

	static final ApiSecurityProperties.RateLimits DEFAULTS = new ApiSecurityProperties.RateLimits(100, 1000, 5, 20,
			LOOPBACK);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-05-04T10:00:00Z"));

	private final RateLimiter limiter = new RateLimiter(DEFAULTS, clock);

	@Test
	void hundredRequestsAMinuteFromOneIpPassAndTheNextIsRefused() {
		for (int i = 1; i <= 100; i++) {
			RateLimiter.Result result = limiter.checkIp("198.51.100.1");
			assertThat(result.allowed()).isTrue();
			assertThat(result.remaining()).isEqualTo(100 - i);
		}

		RateLimiter.Result refused = limiter.checkIp("198.51.100.1");

		assertThat(refused.allowed()).isFalse();
		assertThat(refused.kind()).isEqualTo(RateLimiter.Limit.IP);
		assertThat(refused.limit()).isEqualTo(100);
		assertThat(refused.remaining()).isZero();
		// one request comes back every 0.6 s: rounded up to a whole second
		assertThat(refused.retryAfterSeconds()).isEqualTo(1);
		assertThat(refused.resetSeconds()).isEqualTo(1);
	}

	@Test
	void passingResultReportsSecondsUntilTheBudgetIsFullAgain() {
		assertThat(limiter.checkIp("198.51.100.1").resetSeconds()).isEqualTo(1);
		for (int i = 0; i < 98; i++) {
			limiter.checkIp("198.51.100.1");
		}

		RateLimiter.Result last = limiter.checkIp("198.51.100.1");

		assertThat(last.remaining()).isZero();
		assertThat(last.resetSeconds()).isEqualTo(60);
		assertThat(last.retryAfterSeconds()).isZero();
	}

	@Test
	void budgetRefillsAsTheClockAdvances() {
		exhaustIp("198.51.100.1");

		clock.advance(Duration.ofSeconds(6));
		assertThat(limiter.checkIp("198.51.100.1").remaining()).isEqualTo(9);

		clock.advance(Duration.ofMinutes(1));
		assertThat(limiter.checkIp("198.51.100.1").remaining()).isEqualTo(99);
	}

	@Test
	void clockSteppedBackDoesNotStopRefills() {
		exhaustIp("198.51.100.1");
		clock.set(Instant.parse("2026-05-04T09:50:00Z"));
		assertThat(limiter.checkIp("198.51.100.1").allowed()).isFalse();

		clock.advance(Duration.ofSeconds(30));

		assertThat(limiter.checkIp("198.51.100.1").remaining()).as("30 s of refill").isEqualTo(49);
	}

	@Test
	void concurrentRequestsNeverOverspendTheBudget() throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(8);
		AtomicInteger allowed = new AtomicInteger();
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				done.add(threads.submit(() -> {
					for (int i = 0; i < 50; i++) {
						if (limiter.checkCredential(key("routing", null, null), MAKE_CALL).allowed()) {
							allowed.incrementAndGet();
						}
						limiter.checkIp("198.51.100.1");
					}
				}));
			}
			for (Future<?> future : done) {
				future.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}

		assertThat(allowed.get()).isEqualTo(5);
		assertThat(limiter.checkIp("198.51.100.1").allowed()).isFalse();
		assertThat(limiter.checkCredential(key("routing", null, null), NONE).remaining()).as("refused calls refunded")
			.isEqualTo(1000 - 5 - 1);
	}

	@Test
	void eachIpHasItsOwnBudget() {
		exhaustIp("198.51.100.1");

		assertThat(limiter.checkIp("198.51.100.2").allowed()).isTrue();
		assertThat(limiter.checkIp("198.51.100.1").allowed()).isFalse();
	}

	@Test
	void keyGetsThousandRequestsAnHourByDefault() {
		ApiPrincipal key = key("routing", null, null);
		for (int i = 0; i < 1000; i++) {
			assertThat(limiter.checkCredential(key, NONE).allowed()).isTrue();
		}

		RateLimiter.Result refused = limiter.checkCredential(key, NONE);

		assertThat(refused.allowed()).isFalse();
		assertThat(refused.kind()).isEqualTo(RateLimiter.Limit.CREDENTIAL);
		assertThat(refused.limit()).isEqualTo(1000);
		// one request comes back every 3.6 s
		assertThat(refused.retryAfterSeconds()).isEqualTo(4);

		clock.advance(Duration.ofHours(1));
		assertThat(limiter.checkCredential(key, NONE).remaining()).isEqualTo(999);
	}

	@Test
	void keyWithItsOwnLimitGetsThatLimit() {
		ApiPrincipal key = key("reports", 3, null);
		for (int i = 0; i < 3; i++) {
			assertThat(limiter.checkCredential(key, NONE).limit()).isEqualTo(3);
		}

		assertThat(limiter.checkCredential(key, NONE).allowed()).isFalse();
		assertThat(limiter.checkCredential(key("other", null, null), NONE).allowed()).isTrue();
	}

	@Test
	void jwtSubjectsAreLimitedLikeKeysAndApartFromAKeyOfTheSameName() {
		ApiPrincipal agent = jwt("agent-7");
		for (int i = 0; i < 1000; i++) {
			limiter.checkCredential(agent, NONE);
		}

		assertThat(limiter.checkCredential(agent, NONE).allowed()).isFalse();
		assertThat(limiter.checkCredential(key("agent-7", null, null), NONE).allowed()).isTrue();
	}

	@Test
	void makeCallsArePerCredentialPerSecond() {
		ApiPrincipal key = key("routing", null, null);
		for (int i = 0; i < 5; i++) {
			assertThat(limiter.checkCredential(key, MAKE_CALL).allowed()).isTrue();
		}

		RateLimiter.Result refused = limiter.checkCredential(key, MAKE_CALL);

		assertThat(refused.allowed()).isFalse();
		assertThat(refused.kind()).isEqualTo(RateLimiter.Limit.MAKE_CREDENTIAL);
		assertThat(refused.limit()).isEqualTo(5);
		assertThat(refused.retryAfterSeconds()).isEqualTo(1);
		assertThat(limiter.checkCredential(key, NONE).allowed()).as("other requests of the key").isTrue();
		assertThat(limiter.checkCredential(key("other", null, null), MAKE_CALL).allowed()).isTrue();

		clock.advance(Duration.ofSeconds(1));
		assertThat(limiter.checkCredential(key, MAKE_CALL).allowed()).isTrue();
	}

	@Test
	void sipCredentialRequestsArePerCredentialPerSecondInABucketOfTheirOwn() {
		ApiPrincipal key = key("wwe-server", null, null);
		for (int i = 0; i < 5; i++) {
			assertThat(limiter.checkCredential(key, SIP_CREDENTIALS).allowed()).isTrue();
		}

		RateLimiter.Result refused = limiter.checkCredential(key, SIP_CREDENTIALS);

		assertThat(refused.allowed()).isFalse();
		assertThat(refused.kind()).isEqualTo(RateLimiter.Limit.SIP_CREDENTIALS);
		assertThat(refused.limit()).as("the make-call limit per credential").isEqualTo(5);
		assertThat(refused.retryAfterSeconds()).isEqualTo(1);
		assertThat(limiter.checkCredential(key, MAKE_CALL).allowed())
			.as("its calls are not held back").isTrue();
		assertThat(limiter.checkCredential(key("other", null, null), SIP_CREDENTIALS).allowed())
			.isTrue();
		assertThat(limiter.checkCredential(key("dialer", null, 1), SIP_CREDENTIALS).allowed())
			.isTrue();
		assertThat(limiter.checkCredential(key("dialer", null, 1), SIP_CREDENTIALS).allowed())
			.as("a key's own calls-per-second").isFalse();

		clock.advance(Duration.ofSeconds(1));
		assertThat(limiter.checkCredential(key, SIP_CREDENTIALS).allowed()).isTrue();
	}

	@Test
	void keyWithItsOwnCallsPerSecondGetsThatLimit() {
		ApiPrincipal key = key("dialer", null, 2);

		assertThat(limiter.checkCredential(key, MAKE_CALL).allowed()).isTrue();
		assertThat(limiter.checkCredential(key, MAKE_CALL).allowed()).isTrue();
		assertThat(limiter.checkCredential(key, MAKE_CALL).kind()).isEqualTo(RateLimiter.Limit.MAKE_CREDENTIAL);
	}

	@Test
	void makeCallsAreLimitedInTotalAcrossCredentials() {
		for (int k = 0; k < 4; k++) {
			for (int i = 0; i < 5; i++) {
				assertThat(limiter.checkCredential(key("k" + k, null, null), MAKE_CALL).allowed()).isTrue();
			}
		}

		RateLimiter.Result refused = limiter.checkCredential(key("k4", null, null), MAKE_CALL);

		assertThat(refused.allowed()).isFalse();
		assertThat(refused.kind()).isEqualTo(RateLimiter.Limit.MAKE_TOTAL);
		assertThat(refused.limit()).isEqualTo(20);
		clock.advance(Duration.ofSeconds(1));
		assertThat(limiter.checkCredential(key("k4", null, null), MAKE_CALL).allowed()).isTrue();
	}

	@Test
	void refusedMakeCallTakesNothingFromTheOtherBudgets() {
		ApiPrincipal key = key("routing", null, null);
		for (int i = 0; i < 5; i++) {
			limiter.checkCredential(key, MAKE_CALL);
		}
		// 5 requests spent of the hour, 5 calls of the total
		for (int i = 0; i < 10; i++) {
			assertThat(limiter.checkCredential(key, MAKE_CALL).allowed()).isFalse();
		}

		assertThat(limiter.checkCredential(key, NONE).remaining()).isEqualTo(1000 - 6);
		for (int k = 0; k < 3; k++) {
			for (int i = 0; i < 5; i++) {
				assertThat(limiter.checkCredential(key("k" + k, null, null), MAKE_CALL).allowed()).isTrue();
			}
		}
	}

	@Test
	void passingMakeCallReportsTheTightestBudget() {
		RateLimiter.Result result = limiter.checkCredential(key("routing", null, null), MAKE_CALL);

		assertThat(result.kind()).isEqualTo(RateLimiter.Limit.MAKE_CREDENTIAL);
		assertThat(result.limit()).isEqualTo(5);
		assertThat(result.remaining()).isEqualTo(4);
		assertThat(result.resetSeconds()).isEqualTo(1);
	}

	@Test
	void tighterPrefersRefusalThenFewestRemaining() {
		RateLimiter.Result roomy = new RateLimiter.Result(RateLimiter.Limit.CREDENTIAL, true, 1000, 999, 4, 0);
		RateLimiter.Result tight = new RateLimiter.Result(RateLimiter.Limit.IP, true, 100, 3, 58, 0);
		RateLimiter.Result refused = new RateLimiter.Result(RateLimiter.Limit.IP, false, 100, 0, 1, 1);
		RateLimiter.Result longer = new RateLimiter.Result(RateLimiter.Limit.CREDENTIAL, false, 1000, 0, 4, 4);

		assertThat(RateLimiter.Result.tighter(roomy, tight)).isSameAs(tight);
		assertThat(RateLimiter.Result.tighter(tight, roomy)).isSameAs(tight);
		assertThat(RateLimiter.Result.tighter(tight, refused)).isSameAs(refused);
		assertThat(RateLimiter.Result.tighter(refused, longer)).isSameAs(longer);
		assertThat(RateLimiter.Result.tighter(null, roomy)).isSameAs(roomy);
	}

	@Test
	void credentialWhoseLimitChangesTakesTheNewLimitWithoutGainingRequests() {
		// two keys of one name during a rotation, configured with different limits
		for (int i = 0; i < 10; i++) {
			limiter.checkCredential(key("rotated", 50, null), NONE);
		}

		RateLimiter.Result lowered = limiter.checkCredential(key("rotated", 20, null), NONE);
		RateLimiter.Result raisedAgain = limiter.checkCredential(key("rotated", 50, null), NONE);

		assertThat(lowered.limit()).isEqualTo(20);
		assertThat(lowered.remaining()).as("what was left, capped at the new limit, less this one").isEqualTo(19);
		assertThat(raisedAgain.limit()).isEqualTo(50);
		assertThat(raisedAgain.remaining()).isEqualTo(18);
	}

	@Test
	void evictIdleDropsBucketsUnusedForTheirWindowOnly() {
		limiter.checkIp("198.51.100.1");
		limiter.checkCredential(key("routing", null, null), MAKE_CALL);
		clock.advance(Duration.ofSeconds(59));
		limiter.checkIp("198.51.100.2");

		limiter.evictIdle();

		// 198.51.100.1's minute is not over; the make-call second is
		assertThat(limiter.trackedKeys()).containsExactly(2, 1, 0, 0);

		clock.advance(Duration.ofSeconds(1));
		limiter.evictIdle();
		assertThat(limiter.trackedKeys()).containsExactly(1, 1, 0, 0);

		clock.advance(Duration.ofHours(1));
		limiter.evictIdle();
		assertThat(limiter.trackedKeys()).containsExactly(0, 0, 0, 0);
	}

	@Test
	void evictedBucketComesBackFullAsItWouldHaveAnyway() {
		exhaustIp("198.51.100.1");
		clock.advance(Duration.ofMinutes(1));
		limiter.evictIdle();

		assertThat(limiter.checkIp("198.51.100.1").remaining()).isEqualTo(99);
	}

	@Test
	void idleBucketsAreDroppedOnRequestsWithoutScheduling() {
		for (int i = 0; i < 50; i++) {
			limiter.checkIp("198.51.100." + i);
		}
		clock.advance(Duration.ofMinutes(1));

		limiter.checkIp("203.0.113.1");

		assertThat(limiter.trackedKeys()[0]).isEqualTo(1);
	}

	@Test
	void atTheCapNewIpsShareOneBudgetWhileTrackedOnesKeepTheirs() {
		RateLimiter capped = new RateLimiter(new ApiSecurityProperties.RateLimits(3, 1000, 5, 20, LOOPBACK), clock, 2);
		capped.checkIp("198.51.100.1");
		capped.checkIp("198.51.100.2");

		// the table is full: every newcomer spends from one shared budget of 3
		assertThat(capped.checkIp("203.0.113.1").allowed()).isTrue();
		assertThat(capped.checkIp("203.0.113.2").allowed()).isTrue();
		assertThat(capped.checkIp("203.0.113.3").allowed()).isTrue();
		assertThat(capped.checkIp("203.0.113.4").allowed()).isFalse();
		assertThat(capped.checkIp("203.0.113.1").allowed()).isFalse();
		assertThat(capped.trackedKeys()[0]).isEqualTo(2);
		// tracked clients keep their own
		assertThat(capped.checkIp("198.51.100.1").remaining()).isEqualTo(1);
	}

	@Test
	void atTheCapIdleEntriesMakeRoomForNewIps() {
		RateLimiter capped = new RateLimiter(new ApiSecurityProperties.RateLimits(3, 1000, 5, 20, LOOPBACK), clock, 2);
		capped.checkIp("198.51.100.1");
		clock.advance(Duration.ofSeconds(30));
		capped.checkIp("198.51.100.2");
		clock.advance(Duration.ofSeconds(30));

		RateLimiter.Result newcomer = capped.checkIp("203.0.113.1");

		assertThat(newcomer.remaining()).as("its own bucket").isEqualTo(2);
		assertThat(capped.trackedKeys()[0]).isEqualTo(2);
	}

	@Test
	void capAppliesToCredentialsToo() {
		RateLimiter capped = new RateLimiter(new ApiSecurityProperties.RateLimits(100, 2, 5, 20, LOOPBACK), clock, 1);
		capped.checkCredential(jwt("first"), NONE);

		assertThat(capped.checkCredential(jwt("second"), NONE).allowed()).isTrue();
		assertThat(capped.checkCredential(jwt("third"), NONE).allowed()).isTrue();
		assertThat(capped.checkCredential(jwt("fourth"), NONE).allowed()).isFalse();
		assertThat(capped.trackedKeys()[1]).isEqualTo(1);
	}

	private void exhaustIp(String ip) {
		for (int i = 0; i < 100; i++) {
			limiter.checkIp(ip);
		}
		assertThat(limiter.checkIp(ip).allowed()).isFalse();
	}

	static ApiPrincipal key(String name, Integer requestsPerHour, Integer callsPerSecond) {
		return new ApiPrincipal(name, ApiPrincipal.Kind.API_KEY, Set.of("read", "calls"), null, requestsPerHour,
				callsPerSecond);
	}

	static ApiPrincipal jwt(String subject) {
		return new ApiPrincipal(subject, ApiPrincipal.Kind.JWT, Set.of("read", "calls"), "5001", null, null);
	}

}
