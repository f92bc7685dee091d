package org.signaling.api.webhooks;

import java.util.List;

/** {@code GET /api/webhooks}: every subscription, oldest first, without secrets. */
public record WebhookListResponse(List<WebhookResponse> webhooks, int count) {
}
