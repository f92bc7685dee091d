package org.signaling.client;

import java.util.Map;

/** {@code POST /api/call/hangup}: {@code status} "terminated". */
public record HangupResult(String status, String callId) {

	static HangupResult from(Map<String, Object> json) {
		return new HangupResult(Fields.str(json, "status"), Fields.str(json, "call_id"));
	}

}
