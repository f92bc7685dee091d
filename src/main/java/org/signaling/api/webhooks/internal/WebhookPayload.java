package org.signaling.api.webhooks.internal;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;
import org.signaling.api.events.Event;

/**
 * The JSON body of a delivery: the event, with snake_case names and {@code occurred_at} in ISO-8601.
 *
 * @param id the event id, the same on every attempt and in {@code X-Signaling-Event-Id}
 * @param type the event type
 * @param occurredAt when it happened (ISO-8601, UTC)
 * @param subjectType "dn", "call", "genesys" or "backend"
 * @param subject what it is about
 * @param sequence 1, 2, 3... per subject
 * @param data the event's data
 * @param traceId the W3C trace id of the request that caused it, or null
 */
@JsonPropertyOrder({ "id", "type", "occurred_at", "subject_type", "subject", "sequence", "data", "trace_id" })
record WebhookPayload(String id, String type, @JsonProperty("occurred_at") String occurredAt,
		@JsonProperty("subject_type") String subjectType, String subject, long sequence, Map<String, Object> data,
		@JsonProperty("trace_id") @Nullable String traceId) {

	static WebhookPayload of(Event event) {
		return of(event, event.data());
	}

	static WebhookPayload of(Event event, Map<String, Object> data) {
		return new WebhookPayload(event.id(), event.type(), event.occurredAt().toString(), event.subjectType(),
				event.subject(), event.sequence(), data, event.traceId());
	}

}
