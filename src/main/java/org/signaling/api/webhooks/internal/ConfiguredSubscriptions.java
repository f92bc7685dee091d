package org.signaling.api.webhooks.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.signaling.api.events.EventLog;
import org.signaling.api.events.EventTypes;
import org.signaling.api.webhooks.WebhookProperties;
import org.signaling.api.webhooks.WebhookProperties.ConfiguredSubscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Brings the stored configuration subscriptions in line with {@code signaling.webhooks.subscriptions}, by name: a
 * new one starts at the newest event, a known one keeps its cursor (events that arrived while the service was down
 * are still delivered), a changed secret is rotated with the usual overlap, and one no longer configured is
 * deleted with its deliveries.
 */
public class ConfiguredSubscriptions {

	private static final Logger log = LoggerFactory.getLogger(ConfiguredSubscriptions.class);

	private final SubscriptionRepository subscriptions;

	private final EventLog events;

	private final WebhookProperties properties;

	private final TransactionTemplate transactions;

	private final Clock clock;

	public ConfiguredSubscriptions(SubscriptionRepository subscriptions, EventLog events, WebhookProperties properties,
			TransactionTemplate transactions, Clock clock) {
		this.subscriptions = subscriptions;
		this.events = events;
		this.properties = properties;
		this.transactions = transactions;
		this.clock = clock;
	}

	public void sync() {
		transactions.executeWithoutResult((status) -> {
			Instant now = clock.instant();
			Map<String, Subscription> stored = subscriptions.findConfigured()
				.stream()
				.collect(Collectors.toMap(Subscription::name, Function.identity()));
			for (ConfiguredSubscription configured : properties.subscriptions()) {
				Subscription existing = stored.remove(configured.name());
				if (existing == null) {
					subscriptions.insert(new Subscription(WebhookSigner.newId("wh-"), configured.name(),
							Subscription.CONFIG, configured.url(), eventTypes(configured), Set.copyOf(configured.dns()),
							configured.secret(), null, null, events.lastPosition(), now, now));
					log.info("Webhook subscription {} added from configuration", configured.name());
				}
				else {
					subscriptions.update(updated(existing, configured, now));
				}
			}
			for (Subscription removed : stored.values()) {
				subscriptions.delete(removed.id());
				log.info("Webhook subscription {} removed: no longer in configuration", removed.name());
			}
		});
	}

	private Subscription updated(Subscription existing, ConfiguredSubscription configured, Instant now) {
		boolean rotated = !existing.secret().equals(configured.secret());
		String previous = rotated ? existing.secret() : existing.previousSecret();
		Instant previousExpires = rotated ? now.plus(properties.secretOverlap()) : existing.previousSecretExpiresAt();
		Set<String> eventTypes = eventTypes(configured);
		Set<String> dns = Set.copyOf(configured.dns());
		boolean changed = rotated || !existing.url().equals(configured.url())
				|| !existing.eventTypes().equals(eventTypes) || !existing.dns().equals(dns);
		if (rotated) {
			log.info("Webhook subscription {}: secret changed in configuration, the previous one is signed with "
					+ "until {}", configured.name(), previousExpires);
		}
		return new Subscription(existing.id(), existing.name(), Subscription.CONFIG, configured.url(), eventTypes, dns,
				configured.secret(), previous, previousExpires, existing.eventCursor(), existing.createdAt(),
				changed ? now : existing.updatedAt());
	}

	private static Set<String> eventTypes(ConfiguredSubscription configured) {
		return configured.eventTypes().isEmpty() ? Set.copyOf(EventTypes.ALL)
				: new LinkedHashSet<>(List.copyOf(configured.eventTypes()));
	}

}
