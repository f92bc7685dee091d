package org.signaling.api.cluster;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code signaling.cluster.*}.
 *
 * @param leaderLease how long the leader's lease lasts without renewal: when the leader dies or loses the database,
 * another replica takes over within it. The leader renews it five times per lease. The replicas' clocks must agree
 * (NTP) to well within it: each one judges a lease's end by its own clock.
 */
@Validated
@ConfigurationProperties("signaling.cluster")
public record ClusterProperties(@DefaultValue("10s") @NotNull Duration leaderLease) {

	@AssertTrue(message = "leader-lease must be between 1s and 10m")
	public boolean isLeaderLeaseInRange() {
		return leaderLease == null || (leaderLease.compareTo(Duration.ofSeconds(1)) >= 0
				&& leaderLease.compareTo(Duration.ofMinutes(10)) <= 0);
	}

	/** How often the leader renews its lease, and how long a replica waits before it tries to take it again. */
	public Duration renewInterval() {
		return leaderLease.dividedBy(5);
	}

}
