package org.signaling.api.call;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What the PBX reports about a call (from AMI events), already mapped to our call id: the Uniqueid of the agent leg
 * or the Linkedid of any other leg. Published as application events by the PBX adapter; events of calls this API
 * did not place are simply not ours and are ignored.
 */
public sealed interface PbxEvent {

	Instant at();

	/** A leg of one of our calls exists (Newchannel). */
	record LegCreated(String callId, String channel, String uniqueId, String linkedId, Instant at) implements PbxEvent {
	}

	/** A leg rings (Newstate Ringing, DialState RINGING). */
	record LegRinging(String callId, String channel, String uniqueId, Instant at) implements PbxEvent {
	}

	/** A leg answered (Newstate Up). */
	record LegAnswered(String callId, String channel, String uniqueId, Instant at) implements PbxEvent {
	}

	/** A leg joined a bridge with another (BridgeEnter): with two legs in, the parties talk. */
	record LegBridged(String callId, String channel, String uniqueId, int channelsInBridge, Instant at)
			implements PbxEvent {
	}

	/** A leg hung up (Hangup), with Asterisk's cause (16 normal clearing, 17 busy, 19 no answer, ...). */
	record LegHungUp(String callId, String channel, String uniqueId, int cause, @Nullable String causeText,
			Instant at) implements PbxEvent {
	}

	/**
	 * The originate failed before the agent answered (OriginateResponse Failure). Reason: 0 failure, 1 hung up,
	 * 3 not answered in time, 5 busy, 8 congestion.
	 */
	record OriginateFailed(String callId, int reason, Instant at) implements PbxEvent {
	}

	/** A monitor's supervisor leg answered: the supervisor is in the call (ChanSpy runs). */
	record MonitorAnswered(String monitorId, Instant at) implements PbxEvent {
	}

	/** A monitor's supervisor leg hung up (the supervisor, the API, or the spied call's end). */
	record MonitorEnded(String monitorId, Instant at) implements PbxEvent {
	}

	/** The AMI session came (back) up: what happened meanwhile is unknown, reconcile. */
	record Reconnected(Instant at) implements PbxEvent {
	}

}
