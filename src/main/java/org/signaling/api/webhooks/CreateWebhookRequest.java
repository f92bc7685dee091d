package org.signaling.api.webhooks;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /api/webhooks}. Anything may be missing or wrong in the JSON; {@link WebhookService} checks it and
 * answers 400 with what is wrong.
 *
 * @param url the target: https (http only with {@code allow-insecure-urls}), no credentials, at most 2048 characters
 * @param eventTypes the types to deliver; absent = every type known today
 * @param dns only events about these DNs; absent or empty = no filter
 * @param secret the HMAC key (16-256 visible ASCII characters); absent = generated and returned once
 */
public record CreateWebhookRequest(@Nullable String url, @JsonProperty("event_types") @Nullable List<String> eventTypes,
		@Nullable List<String> dns, @Nullable String secret) {
}
