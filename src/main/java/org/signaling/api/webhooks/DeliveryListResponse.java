package org.signaling.api.webhooks;

import java.util.List;

/** {@code GET /api/webhooks/{id}/deliveries}: newest event first, at most {@code limit}. */
public record DeliveryListResponse(List<DeliveryResponse> deliveries, int count) {
}
