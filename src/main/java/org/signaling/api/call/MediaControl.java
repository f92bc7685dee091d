package org.signaling.api.call;

import org.jspecify.annotations.Nullable;

/**
 * Port: what Asterisk does to the media of a call it carries (AMI). Every value has been checked against its grammar
 * by the call module, and the adapter checks again before anything reaches the wire. Each method returns once
 * Asterisk accepted the action; what follows (a transfer target answering, a spy leg ending) arrives as
 * {@link PbxEvent}s.
 *
 * @see org.signaling.api.call.internal.CallMedia
 */
public interface MediaControl {

	/**
	 * The legs of one call the API placed through Asterisk.
	 *
	 * @param node the Asterisk node that carries it; null asks every node
	 * @param agentUniqueId the agent leg (the call id)
	 * @param agentChannel the agent leg's channel name, as ChanSpy matches it
	 * @param customerUniqueId the leg toward the destination
	 */
	record Legs(@Nullable String node, String agentUniqueId, String agentChannel, String customerUniqueId) {
	}

	/** How a supervisor joins: hears both ({@code listen}), speaks to the agent only, or to both. */
	enum MonitorMode {
		LISTEN, WHISPER, BARGE
	}

	/** The customer to music on hold, the agent to silence (both leave their bridge). */
	void hold(Legs legs);

	/** Agent and customer bridged again. */
	void unhold(Legs legs);

	/** One DTMF digit sent toward the customer's side (an IVR the agent navigates). */
	void dtmf(Legs legs, char digit, int durationMs);

	/**
	 * The agent's audio muted or not.
	 * @param direction "in" (what the agent says), "out" (what the agent hears) or "all"
	 */
	void mute(Legs legs, String direction, boolean on);

	/**
	 * Starts recording both parties to {@code file}.
	 * @return Asterisk's MixMonitorID, or "" when it did not give one
	 */
	String startRecording(Legs legs, String file);

	void stopRecording(Legs legs, String mixMonitorId);

	/** Pauses (silence is written) or resumes a running recording: card numbers are not kept. */
	void pauseRecording(Legs legs, boolean paused);

	/** The customer to {@code to}; the agent leaves the call. */
	void blindTransfer(Legs legs, String to);

	/** The customer on hold while the agent calls {@code to}. */
	void attendedTransfer(Legs legs, String to);

	/** The agent back with the customer; the transfer target is hung up. */
	void cancelAttendedTransfer(Legs legs);

	/** The agent leaves: the customer and the transfer target talk. */
	void completeAttendedTransfer(Legs legs);

	/** Rings {@code supervisorDn}'s phone; once it answers, it joins the agent's call (ChanSpy). */
	void monitor(Legs legs, String monitorId, String supervisorDn, MonitorMode mode);

	/** Switches a running monitor's mode. */
	void monitorMode(@Nullable String node, String monitorId, MonitorMode mode);

	/** Hangs up the supervisor's leg; the call goes on. */
	void endMonitor(@Nullable String node, String monitorId);

}
