package org.signaling.api.testsupport.ami;

/**
 * How {@link SimulatedCalls} plays an async {@code Originate} after answering {@code Success / Originate successfully
 * queued}. Leg A is the requested channel (Uniqueid = the {@code ChannelId}), leg B the customer leg the dialplan
 * dials ({@code PJSIP/genesys-…}, Linkedid = leg A's Uniqueid). Each script is a list of steps; in manual mode a
 * test plays them one at a time ({@link SimulatedCalls#step}). Events follow asterisk-ami.md §2.3; the order of
 * {@code OriginateResponse} relative to the channel events is one of the orders Asterisk may produce.
 */
public enum CallScript {

	/**
	 * 1 Newchannel A, DialBegin A · 2 Newstate A Ringing · 3 Newstate A Up, DialEnd A ANSWER, OriginateResponse
	 * Success Reason 4 · 4 Newchannel B, DialBegin A→B · 5 Newstate B Ringing, DialState B RINGING · 6 Newstate B
	 * Up, DialEnd B ANSWER · 7 BridgeCreate, BridgeEnter A (1 in bridge), BridgeEnter B (2 in bridge). The call then
	 * stays up until an AMI Hangup or {@link SimulatedCalls#hangupFromFarSide}. For an originate to an
	 * {@code Application}, steps 4–7 are one: leg A runs the application (for ChanSpy, ChanSpyStart when a channel
	 * matches), and OriginateResponse carries Application and Data instead of Context and Exten.
	 */
	ANSWER_AND_BRIDGE,

	/** 1 Newchannel A, DialBegin A · 2 Newstate A Ringing; then nothing (the agent never answers). */
	AGENT_RINGING_FOREVER,

	/**
	 * 1 Newchannel A, DialBegin A · 2 DialEnd A BUSY, Hangup A cause 17 (User busy), OriginateResponse Failure
	 * Reason 5.
	 */
	AGENT_BUSY,

	/**
	 * 1 Newchannel A, DialBegin A · 2 Newstate A Ringing · 3 DialEnd A NOANSWER, Hangup A cause 19 (User alerting,
	 * no answer), OriginateResponse Failure Reason 3.
	 */
	NO_ANSWER,

	/**
	 * 1 Newchannel A, DialBegin A · 2 DialEnd A CONGESTION, Hangup A cause 34 (Circuit/channel congestion),
	 * OriginateResponse Failure Reason 8.
	 */
	CONGESTION,

	/**
	 * 1 OriginateResponse Failure Reason 0, no channel ever created (unknown endpoint, no reachable contact): Channel
	 * is the requested dial string, Uniqueid the ChannelId.
	 */
	FAILURE

}
