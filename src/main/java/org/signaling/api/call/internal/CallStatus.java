package org.signaling.api.call.internal;

/** The life of a call placed through the API. */
public enum CallStatus {

	/** Accepted; Asterisk has queued the originate, no leg exists yet. */
	INITIATED("initiated", true),
	/** A leg rings: first the agent's phone, then, once the agent answered, the destination. */
	RINGING("ringing", true),
	/** Both parties are connected. */
	CONFIRMED("confirmed", true),
	/** Over, after having been set up or hung up; see the end cause. */
	ENDED("ended", false),
	/** Never connected: busy, no answer, congestion, rejected; see the end cause. */
	FAILED("failed", false);

	private final String jsonName;

	private final boolean live;

	CallStatus(String jsonName, boolean live) {
		this.jsonName = jsonName;
		this.live = live;
	}

	public String jsonName() {
		return jsonName;
	}

	/** Whether the call is still in progress. */
	public boolean isLive() {
		return live;
	}

	static CallStatus ofJsonName(String name) {
		for (CallStatus status : values()) {
			if (status.jsonName.equals(name)) {
				return status;
			}
		}
		throw new IllegalArgumentException("Unknown call status " + name);
	}

}
