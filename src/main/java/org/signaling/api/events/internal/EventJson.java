package org.signaling.api.events.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.signaling.api.events.Event;

/** The JSON form of an event, the same in the event stream and in webhook deliveries. */
final class EventJson {

	private EventJson() {
	}

	static Map<String, Object> of(Event event) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("id", event.id());
		json.put("type", event.type());
		json.put("occurred_at", event.occurredAt().toString());
		json.put("subject_type", event.subjectType());
		json.put("subject", event.subject());
		json.put("sequence", event.sequence());
		json.put("data", event.data());
		json.put("trace_id", event.traceId());
		return json;
	}

}
