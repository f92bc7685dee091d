package org.signaling.api.call.internal;

import java.util.List;

/**
 * The {@code end_cause} vocabulary: why a call ended, from Asterisk's hangup cause (Q.850) or originate reason, or
 * for a reason of ours.
 */
public final class EndCauses {

	public static final String HANGUP_API = "hangup_api";

	public static final String RECONCILED = "reconciled";

	public static final String ASTERISK_UNREACHABLE = "asterisk_unreachable";

	public static final String REJECTED_BY_ASTERISK = "rejected_by_asterisk";

	public static final String KAMAILIO_UNREACHABLE = "kamailio_unreachable";

	// Click-to-dial through Kamailio (dlg.bridge_dlg): what its dialogs tell.

	/** Connected, then hung up by a party. */
	public static final String NORMAL_CLEARING = "normal_clearing";

	/** The agent's phone rang for the whole ring timeout. */
	public static final String NO_ANSWER = "no_answer";

	/** The agent's phone refused or stopped ringing before the ring timeout. */
	public static final String REJECTED = "rejected";

	/** The agent answered, but the destination is not registered with Kamailio (404). */
	public static final String DESTINATION_NOT_REGISTERED = "destination_not_registered";

	/** The destination rang or was tried, and refused, did not answer, or the agent cancelled. */
	public static final String DESTINATION_REJECTED = "destination_rejected";

	/** The agent answered but never called the destination (did not follow the REFER). */
	public static final String TRANSFER_FAILED = "transfer_failed";

	/** Nothing of it ever showed up in Kamailio's dialogs. */
	public static final String FAILED = "failed";

	/**
	 * Every value, ours and those {@link #ofHangupCause} and {@link #ofOriginateReason} give:
	 * {@code signaling.calls.ended} shows each from the start.
	 */
	static final List<String> ALL = List.of(HANGUP_API, RECONCILED, ASTERISK_UNREACHABLE, REJECTED_BY_ASTERISK,
			KAMAILIO_UNREACHABLE, NORMAL_CLEARING, NO_ANSWER, REJECTED, DESTINATION_NOT_REGISTERED,
			DESTINATION_REJECTED, TRANSFER_FAILED, FAILED, "busy", "unallocated_number", "answered_elsewhere",
			"destination_out_of_order", "congestion", "hangup");

	private EndCauses() {
	}

	static String ofHangupCause(int cause) {
		return switch (cause) {
			case 16, 31 -> "normal_clearing";
			case 17 -> "busy";
			case 18, 19 -> "no_answer";
			case 21 -> "rejected";
			case 1 -> "unallocated_number";
			case 26 -> "answered_elsewhere";
			case 27, 38 -> "destination_out_of_order";
			case 34, 41, 42, 44 -> "congestion";
			default -> "hangup";
		};
	}

	static String ofOriginateReason(int reason) {
		return switch (reason) {
			case 1 -> "hangup";
			case 3 -> "no_answer";
			case 5 -> "busy";
			case 8 -> "congestion";
			default -> "failed";
		};
	}

}
