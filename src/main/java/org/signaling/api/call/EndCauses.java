package org.signaling.api.call;

/**
 * The {@code end_cause} vocabulary: why a call ended, from Asterisk's hangup cause (Q.850) or originate reason, or
 * for a reason of ours.
 */
final class EndCauses {

	static final String HANGUP_API = "hangup_api";

	static final String RECONCILED = "reconciled";

	static final String ASTERISK_UNREACHABLE = "asterisk_unreachable";

	static final String REJECTED_BY_ASTERISK = "rejected_by_asterisk";

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
