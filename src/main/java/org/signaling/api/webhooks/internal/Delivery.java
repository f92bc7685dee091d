package org.signaling.api.webhooks.internal;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One event for one subscription: a row of the outbox.
 *
 * @param id "dlv-" and 32 hex digits
 * @param subscriptionId the subscription
 * @param eventPosition the event's position in the event log; orders deliveries of the same subject
 * @param eventId the event's id (the receiver's de-duplication key)
 * @param eventType the event's type
 * @param subjectType the event's subject type
 * @param subject the event's subject: deliveries of one subject go out one after the other
 * @param sequence the event's sequence within its subject
 * @param payload the JSON body, the same on every attempt
 * @param status pending, delivered or dead
 * @param attempts attempts made so far (an attempt cut short by a crash is not counted)
 * @param createdAt when the event became this delivery
 * @param retryFrom start of the retry period (creation or the last redeliver request)
 * @param nextAttemptAt when a pending delivery is due; null otherwise
 * @param lastAttemptAt when the last attempt ended
 * @param completedAt when it was delivered or became dead
 * @param lastStatusCode the HTTP status of the last attempt, if the subscriber answered
 * @param lastError why the last attempt failed
 */
public record Delivery(String id, String subscriptionId, long eventPosition, String eventId, String eventType,
		String subjectType, String subject, long sequence, String payload, DeliveryStatus status, int attempts,
		Instant createdAt, Instant retryFrom, @Nullable Instant nextAttemptAt, @Nullable Instant lastAttemptAt,
		@Nullable Instant completedAt, @Nullable Integer lastStatusCode, @Nullable String lastError) {

	@Override
	public String toString() {
		return "Delivery[id=" + id + ", subscriptionId=" + subscriptionId + ", eventId=" + eventId + ", status="
				+ status + ", attempts=" + attempts + "]";
	}

}
