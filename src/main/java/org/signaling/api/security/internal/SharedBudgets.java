package org.signaling.api.security.internal;

import io.github.bucket4j.Bucket;
import org.jspecify.annotations.Nullable;

/**
 * The cluster's copy of each rate-limit budget, which every replica's requests draw from, so that the limits hold
 * for the whole cluster and not per replica. This replica's own buckets ({@link RateLimiter}) stay the first line: a
 * request they refuse never reaches the shared budget, and one the shared budget cannot judge (database away) is
 * judged by them alone.
 */
interface SharedBudgets {

	/** Budgets of one replica only: each replica's buckets are the limits. */
	SharedBudgets NONE = new SharedBudgets() {

		@Override
		public @Nullable Bucket bucket(RateLimiter.Limit limit, String key, long capacity) {
			return null;
		}

		@Override
		public boolean reachable() {
			return false;
		}

		@Override
		public void unreachable(RuntimeException failure) {
		}

	};

	/** The shared bucket of this budget and key with this capacity, or null when budgets are not shared. */
	@Nullable Bucket bucket(RateLimiter.Limit limit, String key, long capacity);

	/** False while the shared budgets are known to be away: requests are judged by this replica's buckets. */
	boolean reachable();

	/** A shared bucket failed to answer: reported, and not asked again for a while. */
	void unreachable(RuntimeException failure);

}
