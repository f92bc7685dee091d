package org.signaling.api.webhooks.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.signaling.api.events.EventTypes;
import org.signaling.api.shared.ReplicaId;
import org.signaling.api.testsupport.InMemoryEventLog;
import org.signaling.api.testsupport.MutableClock;
import org.signaling.api.webhooks.WebhookProperties;
import org.signaling.api.webhooks.WebhookProperties.ConfiguredSubscription;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The webhook machinery as the application wires it, over a given database, event log and clock, without Spring: a
 * test can stop it and start a new one over the same database, as a restart would. Jitter is fixed at its maximum,
 * so retry times are exact: 1 s, 2 s, 4 s... after the first, second, third failure.
 */
final class WebhookEngine implements AutoCloseable {

	final SubscriptionRepository subscriptions;

	final DeliveryRepository deliveries;

	final ConfiguredSubscriptions configured;

	final WebhookDispatcher dispatcher;

	final WebhookSender sender;

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final InMemoryEventLog events;

	private final MutableClock clock;

	WebhookEngine(DataSource dataSource, InMemoryEventLog events, MutableClock clock, WebhookProperties properties) {
		this.events = events;
		this.clock = clock;
		JdbcClient jdbc = JdbcClient.create(dataSource);
		TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.subscriptions = new SubscriptionRepository(jdbc);
		this.deliveries = new DeliveryRepository(jdbc, transactions);
		this.configured = new ConfiguredSubscriptions(subscriptions, events, properties, transactions, clock);
		this.sender = new WebhookSender(properties,
				new TargetResolver(HostLookup.SYSTEM, new TargetNetworks(properties.allowedNetworks())));
		this.dispatcher = new WebhookDispatcher(subscriptions, deliveries, events, sender,
				new Backoff(properties, () -> 1.0), configured, properties, clock, JsonMapper.builder().build(),
				meters, ReplicaId.forThisProcess("test"));
	}

	/**
	 * Test properties: http allowed, loopback allowed (the receivers), a quick poll, the given response timeout and
	 * per-subscription concurrency.
	 */
	static WebhookProperties properties(Duration responseTimeout, int maxInFlightPerSubscription,
			List<ConfiguredSubscription> configured) {
		return properties(List.of("127.0.0.0/8"), responseTimeout, maxInFlightPerSubscription, configured);
	}

	static WebhookProperties properties(List<String> allowedNetworks, Duration responseTimeout,
			int maxInFlightPerSubscription, List<ConfiguredSubscription> configured) {
		return new WebhookProperties(true, allowedNetworks, Duration.ofSeconds(2), responseTimeout,
				Duration.ofHours(24), Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5), Duration.ofHours(24),
				Duration.ofDays(7), Duration.ofMillis(50), 8, maxInFlightPerSubscription, 100, configured);
	}

	static WebhookProperties properties() {
		return properties(Duration.ofSeconds(2), 4, List.of());
	}

	WebhookEngine start() {
		events.announceTo(dispatcher::onEventAppended);
		dispatcher.start();
		return this;
	}

	/** A subscription made as the API makes it: from the newest event on. */
	Subscription subscribe(String url, Set<String> eventTypes, Set<String> dns, String secret) {
		Instant now = clock.instant();
		Subscription subscription = new Subscription(WebhookSigner.newId("wh-"), null, Subscription.API, url,
				eventTypes, dns, secret, null, null, events.lastPosition(), now, now);
		subscriptions.insert(subscription);
		return subscription;
	}

	Subscription subscribe(String url, String secret) {
		return subscribe(url, Set.copyOf(EventTypes.ALL), Set.of(), secret);
	}

	List<Delivery> deliveriesOf(Subscription subscription) {
		return deliveries.list(subscription.id(), null, 500);
	}

	Delivery deliveryOf(Subscription subscription, String eventId) {
		return deliveriesOf(subscription).stream()
			.filter((delivery) -> delivery.eventId().equals(eventId))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no delivery of " + eventId));
	}

	/** Moves the clock and asks for a pass at once (the poll would come within 50 ms anyway). */
	void advance(Duration duration) {
		clock.advance(duration);
		dispatcher.wake();
	}

	@Override
	public void close() {
		dispatcher.stop();
		sender.close();
	}

}
