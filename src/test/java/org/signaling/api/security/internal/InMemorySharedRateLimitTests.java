package org.signaling.api.security.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limiter's side of the shared budgets, with budgets in memory (the PostgreSQL ones: PostgresRateLimitIT); and a
 * shared budget that fails.
 */
class InMemorySharedRateLimitTests extends SharedRateLimitContract {

	@Override
	SharedBudgets sharedBudgets() {
		Map<String, Bucket> buckets = new ConcurrentHashMap<>();
		return new SharedBudgets() {

			@Override
			public Bucket bucket(RateLimiter.Limit limit, String key, long capacity) {
				return buckets.computeIfAbsent(limit.tag() + ":" + key, (id) -> Bucket.builder()
					.addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(capacity, limit.window()).build())
					.withCustomTimePrecision(new RateLimiter.ClockTimeMeter(clock))
					.build());
			}

			@Override
			public boolean reachable() {
				return true;
			}

			@Override
			public void unreachable(RuntimeException failure) {
				throw new AssertionError("in memory, always reachable", failure);
			}

		};
	}

	@Test
	void aReplicaWhoseSharedBudgetsFailJudgesByItsOwnAndStopsAskingThem() {
		int[] asked = new int[1];
		int[] reported = new int[1];
		SharedBudgets failing = new SharedBudgets() {

			@Override
			public Bucket bucket(RateLimiter.Limit limit, String key, long capacity) {
				asked[0]++;
				throw new IllegalStateException("the database went away");
			}

			@Override
			public boolean reachable() {
				return reported[0] == 0;
			}

			@Override
			public void unreachable(RuntimeException failure) {
				reported[0]++;
			}

		};
		RateLimiter replica = new RateLimiter(LIMITS, clock, failing);

		for (int i = 0; i < 4; i++) {
			assertThat(replica.checkIp("198.51.100.9").allowed()).isTrue();
		}

		assertThat(replica.checkIp("198.51.100.9").allowed()).as("its own budget still holds").isFalse();
		assertThat(reported[0]).isEqualTo(1);
		assertThat(asked[0]).isEqualTo(1);
	}

}
