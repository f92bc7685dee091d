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
 * @param leaderLease when the leader dies or loses the database, another replica takes over within this. The lease
 * row itself lasts four fifths of it and the leader renews it every fifth; a replica that does not lead asks for it
 * every twentieth, so a takeover completes within the whole. The replicas' clocks must agree (NTP) to well within
 * it: each one judges a lease's end by its own clock.
 */
@Validated
@ConfigurationProperties("signaling.cluster")
public record ClusterProperties(@DefaultValue("10s") @NotNull Duration leaderLease) {

	@AssertTrue(message = "leader-lease must be between 1s and 10m")
	public boolean isLeaderLeaseInRange() {
		return leaderLease == null || (leaderLease.compareTo(Duration.ofSeconds(1)) >= 0
				&& leaderLease.compareTo(Duration.ofMinutes(10)) <= 0);
	}

	/** How long the lease row lasts without renewal. */
	public Duration leaseRow() {
		return leaderLease.multipliedBy(4).dividedBy(5);
	}

	/** How often the leader renews its lease. */
	public Duration renewInterval() {
		return leaderLease.dividedBy(5);
	}

	/** How often a replica that does not lead asks for the lease. */
	public Duration takeoverPoll() {
		return leaderLease.dividedBy(20);
	}

}
