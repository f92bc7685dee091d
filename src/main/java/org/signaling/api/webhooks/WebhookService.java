package org.signaling.api.webhooks;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.signaling.api.dn.DnSyntax;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.EventTypes;
import org.signaling.api.shared.Grammar;
import org.signaling.api.webhooks.internal.Attempt;
import org.signaling.api.webhooks.internal.Delivery;
import org.signaling.api.webhooks.internal.DeliveryRepository;
import org.signaling.api.webhooks.internal.DeliveryStatus;
import org.signaling.api.webhooks.internal.Subscription;
import org.signaling.api.webhooks.internal.SubscriptionRepository;
import org.signaling.api.webhooks.internal.TargetResolver;
import org.signaling.api.webhooks.internal.WebhookDispatcher;
import org.signaling.api.webhooks.internal.WebhookSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Subscriptions and their deliveries, as the API manages them; checks every request against {@link WebhookRules}. */
@Service
public class WebhookService {

	private static final Logger log = LoggerFactory.getLogger(WebhookService.class);

	static final int DEFAULT_LIMIT = 50;

	static final int MAX_LIMIT = 500;

	static final int ATTEMPT_HISTORY = 100;

	private final SubscriptionRepository subscriptions;

	private final DeliveryRepository deliveries;

	private final EventLog events;

	private final WebhookDispatcher dispatcher;

	private final WebhookProperties properties;

	private final TargetResolver targets;

	private final Clock clock;

	public WebhookService(SubscriptionRepository subscriptions, DeliveryRepository deliveries, EventLog events,
			WebhookDispatcher dispatcher, WebhookProperties properties, TargetResolver targets, Clock clock) {
		this.subscriptions = subscriptions;
		this.deliveries = deliveries;
		this.events = events;
		this.dispatcher = dispatcher;
		this.properties = properties;
		this.targets = targets;
		this.clock = clock;
	}

	/**
	 * A new subscription, delivering events from now on; the answer carries its secret, the only time it is shown.
	 * Its host must resolve to public addresses only (or to {@code allowed-networks}); each attempt checks again.
	 */
	public WebhookResponse create(CreateWebhookRequest request) {
		String url = request.url();
		if (url == null || url.isBlank()) {
			throw InvalidWebhookRequestException.missing("url");
		}
		WebhookRules.urlProblem(url, properties.allowInsecureUrls()).ifPresent((problem) -> {
			throw new InvalidWebhookRequestException(problem);
		});
		Set<String> eventTypes = eventTypes(request.eventTypes());
		Set<String> dns = dns(request.dns());
		String secret = (request.secret() != null) ? validSecret(request.secret()) : WebhookSigner.newSecret();
		// Last, as it may wait for DNS. One answer whether the name is unknown or internal: no probing of names.
		if (!targets.isPermitted(URI.create(url).getHost())) {
			throw new InvalidWebhookRequestException("Invalid url: the host does not resolve to a public address");
		}
		if (subscriptions.countBySource(Subscription.API) >= properties.maxSubscriptions()) {
			throw new WebhookConflictException(
					"Too many webhook subscriptions (at most " + properties.maxSubscriptions() + ")");
		}
		Instant now = clock.instant();
		Subscription subscription = new Subscription(WebhookSigner.newId("wh-"), null, Subscription.API, url,
				eventTypes, dns, secret, null, null, events.lastPosition(), now, now);
		subscriptions.insert(subscription);
		log.info("Webhook subscription {} created for {}", subscription.id(), WebhookRules.redacted(url));
		return response(subscription, Map.of(), now, secret);
	}

	public WebhookListResponse list() {
		Instant now = clock.instant();
		Map<String, Map<DeliveryStatus, Long>> counts = deliveries.openCountsBySubscription();
		List<WebhookResponse> all = subscriptions.findAll()
			.stream()
			.map((subscription) -> response(subscription, counts.getOrDefault(subscription.id(), Map.of()), now, null))
			.toList();
		return new WebhookListResponse(all, all.size());
	}

	public WebhookResponse get(String id) {
		Subscription subscription = subscription(id);
		return response(subscription, deliveries.openCountsBySubscription().getOrDefault(id, Map.of()),
				clock.instant(), null);
	}

	/**
	 * Deletes a subscription made over the API, with its deliveries (pending ones are dropped, not sent) and their
	 * history. An attempt already in flight may still arrive once.
	 */
	public void delete(String id) {
		Subscription subscription = subscription(id);
		refuseIfConfigured(subscription, "deleted");
		subscriptions.delete(id);
		log.info("Webhook subscription {} deleted", id);
	}

	/**
	 * A new secret (given or generated), returned once; the old one is still signed with, as a second signature,
	 * for {@code secret-overlap}. A second rotation within the overlap drops the oldest secret.
	 */
	public WebhookResponse rotateSecret(String id, @Nullable RotateSecretRequest request) {
		Subscription subscription = subscription(id);
		refuseIfConfigured(subscription, "rotated");
		String secret = (request != null && request.secret() != null) ? validSecret(request.secret())
				: WebhookSigner.newSecret();
		Instant now = clock.instant();
		Subscription rotated = new Subscription(subscription.id(), subscription.name(), subscription.source(),
				subscription.url(), subscription.eventTypes(), subscription.dns(), secret, subscription.secret(),
				now.plus(properties.secretOverlap()), subscription.eventCursor(), subscription.createdAt(), now);
		if (!subscriptions.update(rotated)) {
			throw new WebhookNotFoundException("Webhook", id);
		}
		log.info("Webhook subscription {}: secret rotated, the previous one is signed with until {}", id,
				rotated.previousSecretExpiresAt());
		return response(rotated, deliveries.openCountsBySubscription().getOrDefault(id, Map.of()), now, secret);
	}

	/** A subscription's deliveries, newest event first, optionally of one status. */
	public DeliveryListResponse deliveries(String id, @Nullable String status, @Nullable String limit) {
		subscription(id);
		DeliveryStatus wanted = null;
		if (status != null) {
			wanted = DeliveryStatus.ofJsonName(status)
				.orElseThrow(() -> new InvalidWebhookRequestException(
						"Invalid status: expected pending, delivered or dead"));
		}
		List<DeliveryResponse> found = deliveries.list(id, wanted, limit(limit))
			.stream()
			.map((delivery) -> response(delivery, null))
			.toList();
		return new DeliveryListResponse(found, found.size());
	}

	/** One delivery with its attempts. */
	public DeliveryResponse delivery(String id, String deliveryId) {
		subscription(id);
		Delivery delivery = deliveries.find(id, deliveryId)
			.orElseThrow(() -> new WebhookNotFoundException("Delivery", deliveryId));
		return response(delivery, deliveries.attempts(deliveryId, ATTEMPT_HISTORY));
	}

	/** Sends a {@code webhook.test} event to one subscription, whatever its event and DN filters. */
	public DeliveryResponse test(String id) {
		Delivery delivery = dispatcher.queueTest(subscription(id), clock.instant());
		log.info("Webhook test delivery {} queued for subscription {}", delivery.id(), id);
		return response(delivery, null);
	}

	/**
	 * Makes a delivery due now: a delivered or dead one is pending again with a fresh retry period (the receiver sees
	 * the same event id again); a pending one is brought forward. It is still sent in order after any earlier pending
	 * delivery of its subject.
	 */
	public DeliveryResponse redeliver(String id, String deliveryId) {
		subscription(id);
		Delivery delivery = deliveries.redeliver(id, deliveryId, clock.instant())
			.orElseThrow(() -> new WebhookNotFoundException("Delivery", deliveryId));
		log.info("Webhook delivery {} of subscription {} to be redelivered", deliveryId, id);
		dispatcher.wake();
		return response(delivery, null);
	}

	private Subscription subscription(String id) {
		return subscriptions.find(id).orElseThrow(() -> new WebhookNotFoundException("Webhook", id));
	}

	private static void refuseIfConfigured(Subscription subscription, String what) {
		if (subscription.isFromConfiguration()) {
			throw new WebhookConflictException("Webhook " + subscription.name()
					+ " comes from configuration (signaling.webhooks.subscriptions) and cannot be " + what
					+ " over the API");
		}
	}

	private static Set<String> eventTypes(@Nullable List<String> requested) {
		if (requested == null) {
			return Set.copyOf(EventTypes.ALL);
		}
		if (requested.isEmpty()) {
			throw new InvalidWebhookRequestException(
					"Invalid event_types: give at least one type, or leave event_types out for all");
		}
		Set<String> types = new LinkedHashSet<>();
		for (String type : requested) {
			if (type == null) {
				throw new InvalidWebhookRequestException("Invalid event_types: null");
			}
			if (!WebhookRules.isKnownEventType(type)) {
				throw new InvalidWebhookRequestException(WebhookRules.unknownEventType(type));
			}
			types.add(type);
		}
		return types;
	}

	private static Set<String> dns(@Nullable List<String> requested) {
		if (requested == null) {
			return Set.of();
		}
		if (requested.size() > WebhookRules.MAX_DNS) {
			throw new InvalidWebhookRequestException("Invalid dns: at most " + WebhookRules.MAX_DNS);
		}
		for (String dn : requested) {
			if (dn == null || !DnSyntax.isValid(dn)) {
				throw new InvalidWebhookRequestException(
						"Invalid dns: expected DNs of " + Grammar.DN_RULE);
			}
		}
		return Set.copyOf(requested);
	}

	private static String validSecret(String secret) {
		if (!WebhookRules.isValidSecret(secret)) {
			throw new InvalidWebhookRequestException("Invalid secret: expected " + WebhookRules.MIN_SECRET_LENGTH
					+ "-" + WebhookRules.MAX_SECRET_LENGTH + " visible ASCII characters");
		}
		return secret;
	}

	private static int limit(@Nullable String limit) {
		if (limit == null) {
			return DEFAULT_LIMIT;
		}
		try {
			int value = Integer.parseInt(limit);
			if (value >= 1 && value <= MAX_LIMIT) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// answered below
		}
		throw new InvalidWebhookRequestException("Invalid limit: expected 1-" + MAX_LIMIT);
	}

	private static WebhookResponse response(Subscription subscription, Map<DeliveryStatus, Long> counts, Instant now,
			@Nullable String secret) {
		Instant previousUntil = subscription.previousSecretValidUntil(now);
		return new WebhookResponse(subscription.id(), subscription.name(), subscription.source(), subscription.url(),
				SubscriptionRepository.ordered(subscription.eventTypes()),
				subscription.dns().stream().sorted().toList(), subscription.createdAt().getEpochSecond(),
				subscription.updatedAt().getEpochSecond(),
				(previousUntil != null) ? previousUntil.getEpochSecond() : null,
				counts.getOrDefault(DeliveryStatus.PENDING, 0L), counts.getOrDefault(DeliveryStatus.DEAD, 0L), secret);
	}

	private static DeliveryResponse response(Delivery delivery, @Nullable List<Attempt> attempts) {
		return new DeliveryResponse(delivery.id(), delivery.subscriptionId(), delivery.eventId(), delivery.eventType(),
				delivery.subjectType(), delivery.subject(), delivery.sequence(), delivery.status().jsonName(),
				delivery.attempts(), delivery.createdAt().getEpochSecond(), seconds(delivery.nextAttemptAt()),
				seconds(delivery.lastAttemptAt()), seconds(delivery.completedAt()), delivery.lastStatusCode(),
				delivery.lastError(),
				(attempts != null) ? attempts.stream()
					.map((attempt) -> new DeliveryResponse.AttemptResponse(attempt.attempt(),
							attempt.attemptedAt().getEpochSecond(), attempt.durationMillis(), attempt.statusCode(),
							attempt.error()))
					.toList() : null);
	}

	private static @Nullable Long seconds(@Nullable Instant instant) {
		return (instant != null) ? instant.getEpochSecond() : null;
	}

}
