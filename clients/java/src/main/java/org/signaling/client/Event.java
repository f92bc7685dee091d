package org.signaling.client;

import java.util.Map;

/**
 * One event of {@code GET /api/events} (and of webhooks): {@code type} such as "dn.available" or "call.ended",
 * the {@code subject} (a DN, a call id) with its {@code sequence} per subject, and {@code data} with what a client
 * needs without a second request. {@code raw} is the JSON text as received.
 */
public record Event(String id, String type, String occurredAt, String subjectType, String subject, long sequence,
		Map<String, Object> data, String raw) {

	static Event from(String raw) {
		Map<String, Object> json = Json.parseObject(raw);
		return new Event(Fields.str(json, "id"), Fields.str(json, "type"), Fields.str(json, "occurred_at"),
				Fields.str(json, "subject_type"), Fields.str(json, "subject"), Fields.lng(json, "sequence", 0),
				Fields.map(json, "data"), raw);
	}

}
