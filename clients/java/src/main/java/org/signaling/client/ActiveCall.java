package org.signaling.client;

import java.util.List;
import java.util.Map;

/**
 * An active call as {@code /api/calls/active} and {@code /api/calls/dn/{dn}} list it: {@code state} "initiated",
 * "trying", "ringing", "answered" or "confirmed"; {@code duration} seconds since the answer. {@code json} has the
 * rest ({@code direction}, {@code created_at}, {@code dialog_id}, ...).
 */
public record ActiveCall(String callId, String from, String to, String state, long duration, List<String> dns,
		Map<String, Object> json) {

	static ActiveCall from(Map<String, Object> json) {
		return new ActiveCall(Fields.str(json, "call_id"), Fields.str(json, "from"), Fields.str(json, "to"),
				Fields.str(json, "state"), Fields.lng(json, "duration", 0), Fields.strings(json, "dns"), json);
	}

}
