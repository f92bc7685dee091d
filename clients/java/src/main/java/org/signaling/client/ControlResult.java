package org.signaling.client;

import java.util.Map;

/**
 * The answer of a call control request (hold, DTMF, mute, recording, transfers, monitors).
 *
 * @param callId the call
 * @param id the transfer's, monitor's or recording's id ({@code transfer_id}, {@code monitor_id},
 * {@code recording_id}); null for hold, DTMF and mute
 * @param state its state: a transfer's ringing, answered, completed, cancelled, failed, abandoned; a monitor's
 * ringing, active, ended; a recording's recording, paused, stopped; null for hold, DTMF and mute
 * @param replayed the service replayed an earlier answer to the same Idempotency-Key
 * @param json the whole answer
 */
public record ControlResult(String callId, String id, String state, boolean replayed, Map<String, Object> json) {

	static ControlResult from(Map<String, Object> json, boolean replayed) {
		String id = null;
		for (String name : new String[] { "transfer_id", "monitor_id", "recording_id" }) {
			if (json.get(name) instanceof String value) {
				id = value;
			}
		}
		Object state = json.get("state");
		return new ControlResult(Fields.str(json, "call_id"), id,
				(state instanceof String text && id != null) ? text : null, replayed, json);
	}

}
