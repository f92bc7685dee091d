package org.signaling.api.shared;

/**
 * Whether this replica runs the duties that exactly one replica of a cluster may run at a time: turning view changes
 * into events ({@code dn.*}, {@code call.*}, {@code genesys.*}, {@code backend.*}), the call lifecycle and history,
 * click-to-dial tracking, reconciliation and retention. Every replica serves every endpoint whatever it says.
 * A change of leadership is announced as {@link LeadershipChanged}.
 */
public interface Leadership {

	/** True while this replica holds the leadership, as far as it knows. */
	boolean isLeader();

	/**
	 * Called inside a duty's transaction, before it commits what a leader writes: throws {@link NotLeaderException}
	 * unless the database still names this replica as the leader, so that a replica that lost its lease (a pause, a
	 * network split) while it thought it led commits nothing the new leader could write again.
	 */
	void confirm();

}
