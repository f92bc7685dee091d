package org.signaling.api.testsupport;

import org.signaling.api.shared.Leadership;
import org.signaling.api.shared.NotLeaderException;

/** A leadership a test sets: a lone replica leads; a test of what a non-leader does turns it off. */
public final class FixedLeadership implements Leadership {

	private volatile boolean leader;

	public FixedLeadership(boolean leader) {
		this.leader = leader;
	}

	public static FixedLeadership leading() {
		return new FixedLeadership(true);
	}

	public void set(boolean leader) {
		this.leader = leader;
	}

	@Override
	public boolean isLeader() {
		return leader;
	}

	@Override
	public void confirm() {
		if (!leader) {
			throw new NotLeaderException("not the leader in this test");
		}
	}

}
