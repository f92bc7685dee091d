package org.signaling.api.call;

/**
 * The state of an active call as clients see it. Kamailio's dialog states map one to one; a dialog that has ended
 * (Kamailio keeps it a few seconds, state 5) is no longer an active call.
 */
public enum CallState {

	/** INVITE sent, no provisional reply yet (Kamailio dialog state 1). */
	TRYING("trying"),
	/** Ringing: a provisional reply (180/183) was seen, not answered yet (state 2). */
	RINGING("ringing"),
	/** Answered with 200 OK, the caller's ACK not seen yet (state 3). */
	ANSWERED("answered"),
	/** Answered and acknowledged: the call is up (state 4). */
	CONFIRMED("confirmed");

	private final String jsonName;

	CallState(String jsonName) {
		this.jsonName = jsonName;
	}

	/** The value of {@code state} in responses. */
	public String jsonName() {
		return jsonName;
	}

}
