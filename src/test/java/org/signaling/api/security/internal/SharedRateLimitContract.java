package org.signaling.api.security.internal;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.signaling.api.security.ApiPrincipal;
import org.signaling.api.security.ApiSecurityProperties;
import org.signaling.api.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rate limits for the whole cluster: two replicas' limiters on one set of shared budgets allow each budget once
 * between them, and a replica whose shared budgets are away falls back on its own.
 */
abstract class SharedRateLimitContract {

	/** 4 requests a minute per IP, 1,000 an hour per credential, 3 calls a second per credential, 5 in total. */
	static final ApiSecurityProperties.RateLimits LIMITS = new ApiSecurityProperties.RateLimits(4, 1000, 3, 5,
			List.of("127.0.0.0/8"));

	final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));

	/** A fresh set of shared budgets, as every replica of one cluster sees them. */
	abstract SharedBudgets sharedBudgets();

	@Test
	void twoReplicasAllowAnIpItsBudgetOnceBetweenThem() {
		SharedBudgets shared = sharedBudgets();
		RateLimiter replicaA = new RateLimiter(LIMITS, clock, shared);
		RateLimiter replicaB = new RateLimiter(LIMITS, clock, shared);

		assertThat(replicaA.checkIp("198.51.100.7").allowed()).isTrue();
		assertThat(replicaB.checkIp("198.51.100.7").allowed()).isTrue();
		assertThat(replicaA.checkIp("198.51.100.7").allowed()).isTrue();
		assertThat(replicaB.checkIp("198.51.100.7").allowed()).isTrue();

		RateLimiter.Result refusedOnA = replicaA.checkIp("198.51.100.7");
		RateLimiter.Result refusedOnB = replicaB.checkIp("198.51.100.7");
		assertThat(refusedOnA.allowed()).isFalse();
		assertThat(refusedOnB.allowed()).isFalse();
		assertThat(refusedOnB.kind()).isEqualTo(RateLimiter.Limit.IP);
		assertThat(refusedOnB.retryAfterSeconds()).isPositive();
		// another address has its own budget
		assertThat(replicaB.checkIp("198.51.100.8").allowed()).isTrue();
	}

	@Test
	void theTotalOfCallsASecondHoldsAcrossReplicasAndARefusedCallTakesNothing() {
		SharedBudgets shared = sharedBudgets();
		RateLimiter replicaA = new RateLimiter(LIMITS, clock, shared);
		RateLimiter replicaB = new RateLimiter(LIMITS, clock, shared);

		int allowed = 0;
		for (int i = 0; i < 4; i++) {
			allowed += replicaA.checkCredential(key("wwe-a"), RateLimiter.PerSecond.MAKE_CALL).allowed() ? 1 : 0;
			allowed += replicaB.checkCredential(key("wwe-b"), RateLimiter.PerSecond.MAKE_CALL).allowed() ? 1 : 0;
		}

		// 3 a second per credential, 5 in total: not 3 + 3 = 6 (nor 5 per replica)
		assertThat(allowed).isEqualTo(5);
		RateLimiter.Result refused = replicaB.checkCredential(key("wwe-c"), RateLimiter.PerSecond.MAKE_CALL);
		assertThat(refused.allowed()).isFalse();
		assertThat(refused.kind()).isEqualTo(RateLimiter.Limit.MAKE_TOTAL);
	}

	static ApiPrincipal key(String name) {
		return new ApiPrincipal(name, ApiPrincipal.Kind.API_KEY, Set.of("read", "calls"), null, null, null);
	}

}
