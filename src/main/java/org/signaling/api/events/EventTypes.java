package org.signaling.api.events;

import java.util.List;

/** The event types, as clients filter and subscribe to them. */
public final class EventTypes {

	public static final String DN_REGISTERED = "dn.registered";

	public static final String DN_UNREGISTERED = "dn.unregistered";

	public static final String DN_AVAILABLE = "dn.available";

	public static final String DN_BUSY = "dn.busy";

	/** A registered DN's contacts stopped answering Kamailio's probes ({@code signaling.dn.unreachable-after}). */
	public static final String DN_UNREACHABLE = "dn.unreachable";

	/** A DN announced unreachable answers again. */
	public static final String DN_REACHABLE = "dn.reachable";

	public static final String CALL_INITIATED = "call.initiated";

	public static final String CALL_RINGING = "call.ringing";

	public static final String CALL_ANSWERED = "call.answered";

	public static final String CALL_ENDED = "call.ended";

	/** A hang-up ended the call, but a party did not answer its BYE in time: it may still be in the call. */
	public static final String CALL_HANGUP_INCOMPLETE = "call.hangup_incomplete";

	/** Call control (Asterisk calls): the customer on hold, and back. */
	public static final String CALL_HELD = "call.held";

	public static final String CALL_UNHELD = "call.unheld";

	public static final String CALL_DTMF_SENT = "call.dtmf_sent";

	public static final String CALL_MUTED = "call.muted";

	public static final String CALL_UNMUTED = "call.unmuted";

	public static final String CALL_RECORDING_STARTED = "call.recording.started";

	public static final String CALL_RECORDING_PAUSED = "call.recording.paused";

	public static final String CALL_RECORDING_RESUMED = "call.recording.resumed";

	public static final String CALL_RECORDING_STOPPED = "call.recording.stopped";

	public static final String CALL_TRANSFER_RINGING = "call.transfer.ringing";

	public static final String CALL_TRANSFER_ANSWERED = "call.transfer.answered";

	public static final String CALL_TRANSFER_COMPLETED = "call.transfer.completed";

	public static final String CALL_TRANSFER_CANCELLED = "call.transfer.cancelled";

	public static final String CALL_TRANSFER_FAILED = "call.transfer.failed";

	/** The call ended while its transfer was in progress. */
	public static final String CALL_TRANSFER_ABANDONED = "call.transfer.abandoned";

	/** A supervisor's phone is rung to join a call (listen, whisper or barge). */
	public static final String CALL_MONITOR_STARTED = "call.monitor.started";

	/** The supervisor answered and is in the call. */
	public static final String CALL_MONITOR_ACTIVE = "call.monitor.active";

	public static final String CALL_MONITOR_MODE_CHANGED = "call.monitor.mode_changed";

	public static final String CALL_MONITOR_ENDED = "call.monitor.ended";

	public static final String GENESYS_UP = "genesys.up";

	public static final String GENESYS_DOWN = "genesys.down";

	public static final String BACKEND_UP = "backend.up";

	public static final String BACKEND_DOWN = "backend.down";

	/**
	 * A test delivery to one webhook ({@code POST /api/webhooks/{id}/test}): never logged or streamed, not among
	 * {@link #ALL} (nothing subscribes to it).
	 */
	public static final String WEBHOOK_TEST = "webhook.test";

	public static final List<String> ALL = List.of(DN_REGISTERED, DN_UNREGISTERED, DN_AVAILABLE, DN_BUSY,
			DN_UNREACHABLE, DN_REACHABLE,
			CALL_INITIATED, CALL_RINGING, CALL_ANSWERED, CALL_ENDED, CALL_HANGUP_INCOMPLETE, CALL_HELD, CALL_UNHELD,
			CALL_DTMF_SENT, CALL_MUTED, CALL_UNMUTED, CALL_RECORDING_STARTED, CALL_RECORDING_PAUSED,
			CALL_RECORDING_RESUMED, CALL_RECORDING_STOPPED, CALL_TRANSFER_RINGING, CALL_TRANSFER_ANSWERED,
			CALL_TRANSFER_COMPLETED, CALL_TRANSFER_CANCELLED, CALL_TRANSFER_FAILED, CALL_TRANSFER_ABANDONED,
			CALL_MONITOR_STARTED, CALL_MONITOR_ACTIVE, CALL_MONITOR_MODE_CHANGED, CALL_MONITOR_ENDED, GENESYS_UP,
			GENESYS_DOWN, BACKEND_UP, BACKEND_DOWN);

	private EventTypes() {
	}

}
