package org.signaling.api.webhooks;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A subscription as the API shows it. The secret appears only in the answer that created or rotated it.
 *
 * @param id "wh-" and 32 hex digits
 * @param name the configuration name of a subscription from configuration; null otherwise
 * @param source "api" or "config"
 * @param url the target
 * @param eventTypes the types delivered
 * @param dns the DN filter; empty = none
 * @param createdAt epoch seconds
 * @param updatedAt epoch seconds of the last change (URL, filter, secret)
 * @param previousSecretExpiresAt while the secret before the last rotation is still signed with: until when (epoch
 * seconds); null otherwise
 * @param pendingDeliveries deliveries waiting for an attempt or a retry
 * @param deadDeliveries deliveries given up
 * @param secret the new secret, once
 */
public record WebhookResponse(String id, @Nullable String name, String source, String url,
		@JsonProperty("event_types") List<String> eventTypes, List<String> dns,
		@JsonProperty("created_at") long createdAt, @JsonProperty("updated_at") long updatedAt,
		@JsonProperty("previous_secret_expires_at") @Nullable Long previousSecretExpiresAt,
		@JsonProperty("pending_deliveries") long pendingDeliveries,
		@JsonProperty("dead_deliveries") long deadDeliveries,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String secret) {
}
