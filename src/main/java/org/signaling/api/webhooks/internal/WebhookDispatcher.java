package org.signaling.api.webhooks.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import org.signaling.api.events.Event;
import org.signaling.api.events.EventAppended;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.EventTypes;
import org.signaling.api.events.StoredEvent;
import org.signaling.api.shared.ReplicaId;
import org.signaling.api.webhooks.WebhookProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns events into deliveries and attempts them.
 *
 * <p>
 * One coordinator thread does two things in each pass: the <em>fan-out</em> reads the event log after each
 * subscription's cursor and stores a delivery per matching event, moving the cursor in the same transaction; the
 * <em>dispatch</em> hands due deliveries to a bounded pool of senders. A pass runs when an event is appended, when an
 * attempt ends, and every {@code poll-interval} (due retries; anything a wake-up missed). The thread that appended the
 * event only sets a flag.
 *
 * <p>
 * Order: only the oldest pending delivery of a subject (per subscription) is ever due, so the next one waits until
 * it is delivered or dead. Isolation: a subscription has at most {@code max-in-flight-per-subscription} attempts in
 * flight, and each pass serves the subscriptions in turn, so a slow or dead subscriber holds a few senders at most and
 * never the others' deliveries. Durability: everything is in the database; an attempt cut short by a stop or a crash
 * is not recorded and is made again (at least once).
 */
public class WebhookDispatcher implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

	static final int EVENT_BATCH = 200;

	static final int MAX_BATCHES_PER_PASS = 10;

	static final int MAX_ERROR_LENGTH = 500;

	static final int MAX_PAYLOAD_LENGTH = 32_000;

	static final Duration PRUNE_INTERVAL = Duration.ofHours(1);

	static final String USER_AGENT = "signaling-api-webhooks/1";

	/**
	 * How far a claim outlives the attempt's own deadline (connect and response timeouts): a replica that stalls
	 * (a long GC pause) still records before another may take the delivery over.
	 */
	static final Duration LEASE_MARGIN = Duration.ofSeconds(10);

	private final SubscriptionRepository subscriptions;

	private final DeliveryRepository deliveries;

	private final EventLog events;

	private final WebhookSender sender;

	private final Backoff backoff;

	private final ConfiguredSubscriptions configured;

	private final WebhookProperties properties;

	private final Clock clock;

	private final JsonMapper json;

	private final MeterRegistry meters;

	private final Timer deliveryAge;

	/** Per outcome, looked up once. */
	private final Map<String, Timer> attemptDurations = new ConcurrentHashMap<>();

	private final ReplicaId replica;

	/** How long a claim holds: the attempt's deadline and {@link #LEASE_MARGIN}. */
	private final Duration lease;

	private final AtomicBoolean passRequested = new AtomicBoolean();

	private final AtomicBoolean fanOutRequested = new AtomicBoolean(true);

	private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

	private final Map<String, Integer> inFlightBySubscription = new ConcurrentHashMap<>();

	private final AtomicLong pending = new AtomicLong();

	private final AtomicLong dead = new AtomicLong();

	private volatile boolean running;

	/** Set by {@link #halt()}: nothing more is written, as after a crash. */
	private volatile boolean halted;

	private volatile @Nullable ScheduledExecutorService coordinator;

	private volatile @Nullable ExecutorService senders;

	// Coordinator thread only.
	private int rotation;

	private @Nullable Instant lastPrune;

	private boolean failing;

	public WebhookDispatcher(SubscriptionRepository subscriptions, DeliveryRepository deliveries, EventLog events,
			WebhookSender sender, Backoff backoff, ConfiguredSubscriptions configured, WebhookProperties properties,
			Clock clock, JsonMapper json, MeterRegistry meters, ReplicaId replica) {
		this.subscriptions = subscriptions;
		this.replica = replica;
		this.lease = properties.connectTimeout().plus(properties.responseTimeout()).plus(LEASE_MARGIN);
		this.deliveries = deliveries;
		this.events = events;
		this.sender = sender;
		this.backoff = backoff;
		this.configured = configured;
		this.properties = properties;
		this.clock = clock;
		this.json = json;
		this.meters = meters;
		this.deliveryAge = Timer.builder("signaling.webhook.delivery.age")
			.description("Age of a webhook delivery when its receiver took it: from the event to the 2xx")
			.register(meters);
		Gauge.builder("signaling.webhook.deliveries.pending", pending, AtomicLong::get)
			.description("Webhook deliveries waiting for an attempt or a retry")
			.register(meters);
		Gauge.builder("signaling.webhook.deliveries.dead", dead, AtomicLong::get)
			.description("Webhook deliveries given up after the retry period (until redelivered or pruned)")
			.register(meters);
		// At 0 from the start, so that an alert on the increase of dead deliveries sees 0 rather than nothing.
		deliveryCounter("delivered");
		deliveryCounter("dead");
		for (WebhookSender.Outcome outcome : WebhookSender.Outcome.values()) {
			attemptCounter(outcome.tag());
			attemptDuration(outcome.tag());
		}
	}

	@EventListener
	public void onEventAppended(EventAppended appended) {
		fanOutRequested.set(true);
		wake();
	}

	/** Asks for a pass soon; returns at once. */
	public void wake() {
		if (!running) {
			return;
		}
		ScheduledExecutorService executor = coordinator;
		if (executor == null || !passRequested.compareAndSet(false, true)) {
			return;
		}
		try {
			executor.execute(this::pass);
		}
		catch (RejectedExecutionException ex) {
			passRequested.set(false); // stopping
		}
	}

	@Override
	public synchronized void start() {
		if (running) {
			return;
		}
		halted = false;
		configured.sync();
		coordinator = new ScheduledThreadPoolExecutor(1, threads("webhook-dispatcher"));
		// Never more tasks than threads: dispatch() only submits while a sender is free.
		senders = new ThreadPoolExecutor(properties.maxConcurrency(), properties.maxConcurrency(), 0,
				TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), threads("webhook-sender"));
		running = true;
		coordinator.scheduleWithFixedDelay(this::poll, 0, properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Stops taking work and lets attempts in flight end (at most one attempt's timeouts); what is still pending is
	 * sent after the next start.
	 */
	@Override
	public synchronized void stop() {
		if (!running) {
			return;
		}
		running = false;
		shutDown(coordinator, Duration.ofSeconds(5));
		shutDown(senders, properties.connectTimeout().plus(properties.responseTimeout()).plusSeconds(1));
	}

	/**
	 * Stops at once, as a crash would: attempts in flight are abandoned unrecorded, and their claims are left to
	 * lapse rather than given up.
	 */
	synchronized void halt() {
		halted = true;
		running = false;
		if (coordinator != null) {
			coordinator.shutdownNow();
		}
		if (senders != null) {
			senders.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	private void poll() {
		try {
			Instant now = clock.instant();
			if (lastPrune == null || !now.isBefore(lastPrune.plus(PRUNE_INTERVAL))) {
				lastPrune = now;
				int pruned = deliveries.deleteCompletedBefore(now.minus(properties.deliveryRetention()));
				if (pruned > 0) {
					log.info("Pruned {} completed webhook deliveries older than {}", pruned,
							properties.deliveryRetention());
				}
			}
			pending.set(deliveries.count(DeliveryStatus.PENDING));
			dead.set(deliveries.count(DeliveryStatus.DEAD));
		}
		catch (RuntimeException ex) {
			failed(ex);
			return;
		}
		fanOutRequested.set(true);
		pass();
	}

	private void pass() {
		passRequested.set(false);
		if (!running) {
			return;
		}
		try {
			boolean more = fanOutRequested.getAndSet(false) && fanOut();
			dispatch();
			if (more) {
				fanOutRequested.set(true);
				wake();
			}
			if (failing) {
				failing = false;
				log.info("Webhook dispatch recovered");
			}
		}
		catch (RuntimeException ex) {
			failed(ex);
		}
	}

	// A database outage would otherwise log once per poll; once per outage is enough.
	private void failed(RuntimeException ex) {
		if (!failing) {
			failing = true;
			log.warn("Webhook dispatch failed, retrying every {}: {}", properties.pollInterval(), ex.toString());
		}
	}

	/** Stores deliveries for new events; returns whether events are left for another pass. */
	boolean fanOut() {
		List<Subscription> active = new ArrayList<>(subscriptions.findAll());
		Map<String, Long> cursors = new HashMap<>();
		active.forEach((subscription) -> cursors.put(subscription.id(), subscription.eventCursor()));
		for (int batch = 0; batch < MAX_BATCHES_PER_PASS && !active.isEmpty(); batch++) {
			long from = active.stream().mapToLong((subscription) -> cursors.get(subscription.id())).min().orElseThrow();
			List<StoredEvent> batchOfEvents = events.after(from, EVENT_BATCH);
			if (batchOfEvents.isEmpty()) {
				return false;
			}
			long last = batchOfEvents.get(batchOfEvents.size() - 1).position();
			Instant now = clock.instant();
			for (Subscription subscription : List.copyOf(active)) {
				long cursor = cursors.get(subscription.id());
				if (cursor >= last) {
					continue;
				}
				List<Delivery> created = batchOfEvents.stream()
					.filter((stored) -> stored.position() > cursor && subscription.matches(stored.event()))
					.map((stored) -> newDelivery(subscription, stored, now))
					.toList();
				if (deliveries.createAndAdvance(subscription.id(), cursor, last, created)) {
					cursors.put(subscription.id(), last);
				}
				else {
					active.remove(subscription); // deleted meanwhile
				}
			}
			if (batchOfEvents.size() < EVENT_BATCH) {
				return false;
			}
		}
		return !active.isEmpty();
	}

	/**
	 * Queues a {@code webhook.test} delivery to one subscription, due now, signed and retried like any other. It has
	 * no place in the event log (a random negative position) and a subject of its own, so a receiver that is down
	 * for one test holds back neither a later test nor any event.
	 */
	public Delivery queueTest(Subscription subscription, Instant now) {
		Event test = new Event(WebhookSigner.newId("evt-"), EventTypes.WEBHOOK_TEST, now, "webhook", subscription.id(),
				1, Map.of("webhook_id", subscription.id(), "message", "A test delivery from signaling-api"));
		long position = -1 - ThreadLocalRandom.current().nextLong(Long.MAX_VALUE - 1);
		String deliveryId = WebhookSigner.newId("dlv-");
		Delivery alone = newDelivery(deliveryId, subscription, new StoredEvent(position, test), deliveryId, now);
		deliveries.add(alone);
		wake();
		return alone;
	}

	private Delivery newDelivery(Subscription subscription, StoredEvent stored, Instant now) {
		return newDelivery(WebhookSigner.newId("dlv-"), subscription, stored, stored.event().subject(), now);
	}

	/** @param orderingSubject deliveries of one subject go out one after the other */
	private Delivery newDelivery(String id, Subscription subscription, StoredEvent stored, String orderingSubject,
			Instant now) {
		String payload = json.writeValueAsString(WebhookPayload.of(stored.event()));
		if (payload.length() > MAX_PAYLOAD_LENGTH) {
			// Cannot happen with the event log's own limit; never let one event block the outbox.
			log.warn("Webhook payload of event {} too large ({} characters): sent without its data",
					stored.event().id(), payload.length());
			payload = json.writeValueAsString(WebhookPayload.of(stored.event(), Map.of("truncated", true)));
		}
		return new Delivery(id, subscription.id(), stored.position(), stored.event().id(),
				stored.event().type(), stored.event().subjectType(), orderingSubject,
				stored.event().sequence(), payload, DeliveryStatus.PENDING, 0, now, now, now, null, null, null, null);
	}

	/** Hands due deliveries to free senders, the subscriptions in turn. */
	void dispatch() {
		int free = properties.maxConcurrency() - inFlight.size();
		if (free <= 0) {
			return;
		}
		Instant now = clock.instant();
		List<String> due = new ArrayList<>(deliveries.subscriptionsWithDueDeliveries(now));
		if (due.isEmpty()) {
			return;
		}
		Collections.sort(due);
		Collections.rotate(due, -(rotation++ % due.size()));
		Map<String, Deque<Delivery>> queues = new LinkedHashMap<>();
		for (String subscriptionId : due) {
			int busy = inFlightBySubscription.getOrDefault(subscriptionId, 0);
			int room = properties.maxInFlightPerSubscription() - busy;
			if (room <= 0) {
				continue;
			}
			// A head that is in flight is still pending, hence the extra rows.
			List<Delivery> heads = deliveries.dueHeads(subscriptionId, now, room + busy)
				.stream()
				.filter((delivery) -> !inFlight.contains(delivery.id()))
				.limit(room)
				.toList();
			if (!heads.isEmpty()) {
				queues.put(subscriptionId, new ArrayDeque<>(heads));
			}
		}
		while (free > 0 && !queues.isEmpty()) {
			for (var iterator = queues.values().iterator(); iterator.hasNext() && free > 0;) {
				Deque<Delivery> queue = iterator.next();
				if (submit(queue.poll())) {
					free--;
				}
				if (queue.isEmpty()) {
					iterator.remove();
				}
			}
		}
	}

	private boolean submit(Delivery delivery) {
		ExecutorService executor = senders;
		if (executor == null || !inFlight.add(delivery.id())) {
			return false;
		}
		inFlightBySubscription.merge(delivery.subscriptionId(), 1, Integer::sum);
		try {
			executor.execute(() -> attempt(delivery));
			return true;
		}
		catch (RejectedExecutionException ex) {
			release(delivery);
			return false;
		}
	}

	private void attempt(Delivery queued) {
		boolean claimed = false;
		try {
			// The pass read this row before an attempt in flight, here or on another replica, may have ended and been
			// recorded, or while another replica attempts it: only a delivery that is still pending with the same
			// number of attempts, and claimed by this replica alone, is sent, else it would go out twice.
			Instant claimedAt = clock.instant();
			claimed = deliveries.claim(queued, replica.value(), claimedAt, claimedAt.plus(lease));
			Subscription subscription = claimed ? subscriptions.find(queued.subscriptionId()).orElse(null) : null;
			if (subscription == null) {
				return; // done meanwhile, attempted by another replica, or deleted
			}
			Delivery delivery = queued;
			Instant started = clock.instant();
			long timestamp = started.getEpochSecond();
			byte[] body = delivery.payload().getBytes(StandardCharsets.UTF_8);
			Map<String, String> headers = new LinkedHashMap<>();
			headers.put("Content-Type", "application/json");
			headers.put("User-Agent", USER_AGENT);
			List<String> secrets = subscription.signingSecrets(started);
			// Standard Webhooks: the event id is the message id, the same on every attempt.
			headers.put("webhook-id", delivery.eventId());
			headers.put("webhook-timestamp", Long.toString(timestamp));
			headers.put("webhook-signature",
					WebhookSigner.standardHeader(secrets, delivery.eventId(), timestamp, body));
			// Deprecated: kept for one release for receivers that verify the old form.
			headers.put("X-Signaling-Event-Id", delivery.eventId());
			headers.put("X-Signaling-Delivery-Id", delivery.id());
			headers.put("X-Signaling-Timestamp", Long.toString(timestamp));
			headers.put("X-Signaling-Signature", WebhookSigner.header(secrets, timestamp, body));
			long startedNanos = System.nanoTime();
			WebhookSender.Result result = sender.post(URI.create(subscription.url()), headers, body);
			long durationMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
			record(delivery, started, durationMillis, result);
		}
		catch (InterruptedException ex) {
			// Stopping: not recorded, made again by any replica (the interrupt is cleared while the claim is given up).
			if (claimed && !halted) {
				releaseClaim(queued);
			}
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			// Most likely the database: the delivery stays due and is attempted again.
			log.warn("Webhook delivery {} could not be attempted or recorded: {}", queued.id(), ex.toString());
		}
		finally {
			release(queued);
			wake();
		}
	}

	private void releaseClaim(Delivery delivery) {
		try {
			deliveries.release(delivery, replica.value());
		}
		catch (RuntimeException ex) {
			log.debug("Webhook delivery {}: its claim lapses instead of being given up: {}", delivery.id(),
					ex.toString());
		}
	}

	/** How long one attempt took, by its outcome (delivered, http_error, timeout, ...: a small fixed set). */
	private Timer attemptDuration(String outcome) {
		return attemptDurations.computeIfAbsent(outcome, (tag) -> Timer.builder("signaling.webhook.attempt.duration")
			.description("Duration of one webhook attempt, by outcome")
			.tag("outcome", tag)
			.register(meters));
	}

	private void record(Delivery delivery, Instant started, long durationMillis, WebhookSender.Result result) {
		Instant ended = clock.instant();
		int number = delivery.attempts() + 1;
		Attempt attempt = new Attempt(number, started, durationMillis, result.statusCode(), truncate(result.error()));
		attemptCounter(result.outcome().tag()).increment();
		attemptDuration(result.outcome().tag()).record(durationMillis, TimeUnit.MILLISECONDS);
		if (result.isDelivered()) {
			if (deliveries.recordAttempt(delivery, attempt, DeliveryStatus.DELIVERED, null, ended)) {
				deliveryCounter("delivered").increment();
				// from the event's delivery being created (the event appended) to its receiver's 2xx
				deliveryAge.record(Duration.between(delivery.createdAt(), ended));
			}
			return;
		}
		Instant next = backoff.nextAttempt(number, delivery.retryFrom(), ended);
		if (next != null) {
			deliveries.recordAttempt(delivery, attempt, DeliveryStatus.PENDING, next, ended);
		}
		else if (deliveries.recordAttempt(delivery, attempt, DeliveryStatus.DEAD, null, ended)) {
			deliveryCounter("dead").increment();
			log.warn("Webhook delivery {} (event {}, {}) to subscription {} is dead after {} attempts over {}: {}",
					delivery.id(), delivery.eventId(), delivery.eventType(), delivery.subscriptionId(), number,
					properties.retryPeriod(), attempt.error());
		}
	}

	private Counter attemptCounter(String outcome) {
		return meters.counter("signaling.webhook.attempts", "outcome", outcome);
	}

	private Counter deliveryCounter(String outcome) {
		return Counter.builder("signaling.webhook.deliveries")
			.description("Webhook deliveries that ended: delivered or dead")
			.tag("outcome", outcome)
			.register(meters);
	}

	private void release(Delivery delivery) {
		inFlight.remove(delivery.id());
		inFlightBySubscription.computeIfPresent(delivery.subscriptionId(), (id, count) -> (count > 1) ? count - 1
				: null);
	}

	private static @Nullable String truncate(@Nullable String error) {
		return (error != null && error.length() > MAX_ERROR_LENGTH) ? error.substring(0, MAX_ERROR_LENGTH) : error;
	}

	private static void shutDown(@Nullable ExecutorService executor, Duration grace) {
		if (executor == null) {
			return;
		}
		executor.shutdown();
		try {
			if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
				executor.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			executor.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}

	private static ThreadFactory threads(String prefix) {
		AtomicInteger counter = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
