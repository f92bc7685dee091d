package org.signaling.api.webhooks;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A delivery of one event to one subscription. Times are epoch seconds.
 *
 * @param id "dlv-" and 32 hex digits ({@code X-Signaling-Delivery-Id})
 * @param webhookId the subscription
 * @param eventId the event ({@code X-Signaling-Event-Id})
 * @param eventType its type
 * @param subjectType its subject type
 * @param subject its subject
 * @param sequence its sequence within the subject
 * @param status "pending", "delivered" or "dead"
 * @param attempts attempts made
 * @param createdAt when the event became this delivery
 * @param nextAttemptAt when a pending delivery is due (it may also wait for an earlier one of its subject)
 * @param lastAttemptAt when the last attempt ended
 * @param completedAt when it was delivered or became dead
 * @param lastStatusCode the subscriber's HTTP status in the last attempt, if it answered
 * @param lastError why the last attempt failed
 * @param attemptHistory every attempt (the last 100), oldest first; only in {@code GET .../deliveries/{id}}
 */
public record DeliveryResponse(String id, @JsonProperty("webhook_id") String webhookId,
		@JsonProperty("event_id") String eventId, @JsonProperty("event_type") String eventType,
		@JsonProperty("subject_type") String subjectType, String subject, long sequence, String status, int attempts,
		@JsonProperty("created_at") long createdAt, @JsonProperty("next_attempt_at") @Nullable Long nextAttemptAt,
		@JsonProperty("last_attempt_at") @Nullable Long lastAttemptAt,
		@JsonProperty("completed_at") @Nullable Long completedAt,
		@JsonProperty("last_status_code") @Nullable Integer lastStatusCode,
		@JsonProperty("last_error") @Nullable String lastError,
		@JsonProperty("attempt_history") @JsonInclude(JsonInclude.Include.NON_NULL)
		@Nullable List<AttemptResponse> attemptHistory) {

	/**
	 * One attempt.
	 *
	 * @param attempt 1, 2, 3...
	 * @param at when it started (epoch seconds)
	 * @param durationMs how long it took
	 * @param statusCode the subscriber's status, if it answered
	 * @param error why it failed; null when delivered
	 */
	public record AttemptResponse(int attempt, long at, @JsonProperty("duration_ms") long durationMs,
			@JsonProperty("status_code") @Nullable Integer statusCode, @Nullable String error) {
	}

}
