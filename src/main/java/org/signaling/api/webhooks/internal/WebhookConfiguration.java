package org.signaling.api.webhooks.internal;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

import io.micrometer.core.instrument.MeterRegistry;
import org.signaling.api.events.EventLog;
import org.signaling.api.shared.ReplicaId;
import org.signaling.api.webhooks.WebhookProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** The delivery machinery; the repositories are components of their own. */
@Configuration(proxyBeanMethods = false)
public class WebhookConfiguration {

	@Bean
	HostLookup webhookHostLookup() {
		return HostLookup.SYSTEM;
	}

	@Bean
	TargetResolver webhookTargetResolver(HostLookup lookup, WebhookProperties properties) {
		return new TargetResolver(lookup, new TargetNetworks(properties.allowedNetworks()));
	}

	@Bean
	WebhookSender webhookSender(WebhookProperties properties, TargetResolver resolver) {
		return new WebhookSender(properties, resolver);
	}

	@Bean
	Backoff webhookBackoff(WebhookProperties properties) {
		return new Backoff(properties, () -> ThreadLocalRandom.current().nextDouble());
	}

	@Bean
	ConfiguredSubscriptions configuredWebhookSubscriptions(SubscriptionRepository subscriptions, EventLog events,
			WebhookProperties properties, TransactionTemplate transactions, Clock clock) {
		return new ConfiguredSubscriptions(subscriptions, events, properties, transactions, clock);
	}

	@Bean
	WebhookDispatcher webhookDispatcher(SubscriptionRepository subscriptions, DeliveryRepository deliveries,
			EventLog events, WebhookSender sender, Backoff backoff, ConfiguredSubscriptions configured,
			WebhookProperties properties, Clock clock, JsonMapper json, MeterRegistry meters, ReplicaId replica) {
		return new WebhookDispatcher(subscriptions, deliveries, events, sender, backoff, configured, properties, clock,
				json, meters, replica);
	}

}
