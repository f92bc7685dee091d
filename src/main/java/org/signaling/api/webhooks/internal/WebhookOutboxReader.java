package org.signaling.api.webhooks.internal;

import java.util.OptionalLong;

import org.signaling.api.events.EventLogReader;
import org.springframework.stereotype.Component;

/** Keeps the event log from pruning events a webhook subscription has not turned into deliveries yet. */
@Component
class WebhookOutboxReader implements EventLogReader {

	private final SubscriptionRepository subscriptions;

	WebhookOutboxReader(SubscriptionRepository subscriptions) {
		this.subscriptions = subscriptions;
	}

	@Override
	public OptionalLong lastTakenPosition() {
		return subscriptions.lowestCursor();
	}

}
