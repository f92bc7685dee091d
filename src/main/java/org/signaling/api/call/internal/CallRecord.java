package org.signaling.api.call.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.signaling.api.call.CallOriginator;
import org.signaling.api.call.CallState;
import org.signaling.api.call.MakeCallCommand;

/**
 * A call placed through the API: what was asked, how far it got, and everything needed to find it again in Asterisk
 * and Kamailio. Immutable; every change makes a new record.
 *
 * @param callId our id; also the agent leg's Asterisk Uniqueid and every leg's Linkedid
 * @param channels the Asterisk channels of its legs, in order of creation
 * @param sipCallId the SIP Call-ID of the agent leg, once Kamailio has seen it
 * @param dialogId Kamailio's dialog id of the agent leg ("h_entry:h_id")
 * @param originator who placed it: {@link CallOriginator#ASTERISK} or {@link CallOriginator#KAMAILIO}
 * @param pbxNode the Asterisk node that took it ({@code signaling.asterisk.nodes}), where its legs are hung up;
 * {@code null} until known, for Kamailio's calls, and for calls stored before nodes were recorded (every node is asked)
 * @param traceparent the W3C trace context of the request that placed it: its events continue that trace
 */
public record CallRecord(String callId, String fromDn, String destination, @Nullable String callerId,
		boolean autoAnswer, int ringTimeoutSeconds, CallState status, List<Leg> channels,
		@Nullable String sipCallId, @Nullable String dialogId, Instant createdAt, @Nullable Instant answeredAt,
		@Nullable Instant endedAt, @Nullable String endCause, @Nullable Integer hangupCause, String originator,
		@Nullable String pbxNode, @Nullable String traceparent) {

	/** Legs kept per call: a click-to-dial has two or three; transfers add a few. Bounds the stored record. */
	static final int MAX_CHANNELS = 16;

	public CallRecord {
		channels = List.copyOf(channels);
	}

	public static CallRecord initiated(String callId, MakeCallCommand command, Instant now, String originator) {
		return initiated(callId, command, now, originator, null);
	}

	public static CallRecord initiated(String callId, MakeCallCommand command, Instant now, String originator,
			@Nullable String traceparent) {
		return new CallRecord(callId, command.from(), command.to(), command.callerId(), command.autoAnswer(),
				(int) command.ringTimeout().toSeconds(), CallState.INITIATED, List.of(), null, null, now, null, null,
				null, null, originator, null, traceparent);
	}

	/**
	 * The DNs (or number) it involves: the agent and the destination. A set that tolerates both being the same, which
	 * a record stored before that was refused can hold.
	 */
	public Set<String> dns() {
		Set<String> dns = new LinkedHashSet<>();
		dns.add(fromDn);
		dns.add(destination);
		return Collections.unmodifiableSet(dns);
	}

	/** Whether Kamailio placed it (dlg.bridge_dlg): its progress comes from Kamailio's dialogs, not from AMI. */
	public boolean placedByKamailio() {
		return CallOriginator.KAMAILIO.equals(originator);
	}

	CallRecord withStatus(CallState newStatus) {
		return new CallRecord(callId, fromDn, destination, callerId, autoAnswer, ringTimeoutSeconds, newStatus,
				channels, sipCallId, dialogId, createdAt, answeredAt, endedAt, endCause, hangupCause,
				originator, pbxNode, traceparent);
	}

	CallRecord withChannel(String channel, String uniqueId) {
		Leg leg = new Leg(channel, uniqueId);
		if (channels.contains(leg) || channels.size() >= MAX_CHANNELS) {
			return this;
		}
		List<Leg> more = new ArrayList<>(channels);
		more.add(leg);
		return new CallRecord(callId, fromDn, destination, callerId, autoAnswer, ringTimeoutSeconds, status, more,
				sipCallId, dialogId, createdAt, answeredAt, endedAt, endCause, hangupCause, originator, pbxNode,
				traceparent);
	}

	CallRecord answered(Instant at) {
		return new CallRecord(callId, fromDn, destination, callerId, autoAnswer, ringTimeoutSeconds,
				CallState.CONFIRMED, channels, sipCallId, dialogId, createdAt, (answeredAt != null) ? answeredAt : at,
				endedAt, endCause, hangupCause, originator, pbxNode, traceparent);
	}

	CallRecord ended(CallState finalStatus, String cause, @Nullable Integer asteriskCause, Instant at) {
		return new CallRecord(callId, fromDn, destination, callerId, autoAnswer, ringTimeoutSeconds, finalStatus,
				channels, sipCallId, dialogId, createdAt, answeredAt, at, cause, asteriskCause, originator, pbxNode,
				traceparent);
	}

	CallRecord withDialog(String newSipCallId, String newDialogId) {
		return new CallRecord(callId, fromDn, destination, callerId, autoAnswer, ringTimeoutSeconds, status, channels,
				newSipCallId, newDialogId, createdAt, answeredAt, endedAt, endCause, hangupCause, originator, pbxNode,
				traceparent);
	}

	CallRecord onNode(String node) {
		return new CallRecord(callId, fromDn, destination, callerId, autoAnswer, ringTimeoutSeconds, status, channels,
				sipCallId, dialogId, createdAt, answeredAt, endedAt, endCause, hangupCause, originator, node,
				traceparent);
	}

	/** The Uniqueids of its legs, the agent leg (our call id) first. */
	public List<String> uniqueIds() {
		List<String> ids = new ArrayList<>();
		ids.add(callId);
		for (Leg leg : channels) {
			if (!ids.contains(leg.uniqueId())) {
				ids.add(leg.uniqueId());
			}
		}
		return ids;
	}

	/**
	 * One Asterisk channel of a call.
	 * @param channel its name ({@code PJSIP/kamailio-00000001})
	 * @param uniqueId its Uniqueid
	 */
	public record Leg(String channel, String uniqueId) {
	}

}
