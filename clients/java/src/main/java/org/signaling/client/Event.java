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

	/**
	 * The W3C trace id of the API request that caused this event (its {@code traceparent}), or null for changes the
	 * service saw in Kamailio or Asterisk alone, and for services older than 1.1. Read from {@code raw}: the record's
	 * components stay as they were.
	 *
	 * @return 32 hex digits, or null
	 */
	public String traceId() {
		return Fields.str(Json.parseObject(raw), "trace_id");
	}

}
