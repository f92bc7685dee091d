package org.signaling.api.call;

import org.jspecify.annotations.Nullable;

/**
 * The one vocabulary for where a call is, whoever knows it: a Kamailio dialog (its states 1 to 4 map one to one on
 * {@link #TRYING} to {@link #CONFIRMED}) or a call this API placed ({@link #INITIATED} until a leg rings, then
 * {@link #RINGING}, {@link #CONFIRMED}, and {@link #ENDED} or {@link #FAILED}). The JSON names are the contract's
 * {@code state}/{@code status} values.
 */
public enum CallState {

	/** Accepted by the API; no leg exists yet (the PBX has queued the originate). */
	INITIATED("initiated", Milestone.INITIATED),
	/** INVITE sent, no provisional reply yet (Kamailio dialog state 1). */
	TRYING("trying", Milestone.INITIATED),
	/** A leg rings: a provisional reply (180/183) was seen, not answered yet (dialog state 2). */
	RINGING("ringing", Milestone.RINGING),
	/** Answered with 200 OK, the caller's ACK not seen yet (dialog state 3). */
	ANSWERED("answered", Milestone.ANSWERED),
	/** Answered and acknowledged: the parties are connected (dialog state 4). */
	CONFIRMED("confirmed", Milestone.ANSWERED),
	/** Over, after having been set up or hung up; see the end cause. */
	ENDED("ended", null),
	/** Never connected: busy, no answer, congestion, rejected; see the end cause. */
	FAILED("failed", null);

	private final String jsonName;

	private final @Nullable Milestone milestone;

	CallState(String jsonName, @Nullable Milestone milestone) {
		this.jsonName = jsonName;
		this.milestone = milestone;
	}

	/** The value of {@code state} (or {@code status}) in responses, events and the database. */
	public String jsonName() {
		return jsonName;
	}

	/** Whether the call is still in progress. */
	public boolean isLive() {
		return milestone != null;
	}

	/**
	 * How far a live call got, in the order events announce it ({@code call.initiated}, {@code call.ringing},
	 * {@code call.answered}); null once it is over.
	 */
	public @Nullable Milestone milestone() {
		return milestone;
	}

	/** @throws IllegalArgumentException for a name this enum does not have */
	public static CallState ofJsonName(String name) {
		for (CallState state : values()) {
			if (state.jsonName.equals(name)) {
				return state;
			}
		}
		throw new IllegalArgumentException("Unknown call state " + name);
	}

	/** The steps a live call's events announce, in order. */
	public enum Milestone {

		INITIATED, RINGING, ANSWERED;

		/** The state a call history row records for this step. */
		public CallState state() {
			return switch (this) {
				case INITIATED -> CallState.INITIATED;
				case RINGING -> CallState.RINGING;
				case ANSWERED -> CallState.ANSWERED;
			};
		}

	}

}
