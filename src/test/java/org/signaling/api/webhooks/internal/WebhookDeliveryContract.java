package org.signaling.api.webhooks.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.events.EventTypes;
import org.signaling.api.events.StoredEvent;
import org.signaling.api.testsupport.FreePorts;
import org.signaling.api.testsupport.InMemoryEventLog;
import org.signaling.api.testsupport.MutableClock;
import org.signaling.api.webhooks.IndependentVerifiers;
import org.signaling.api.webhooks.WebhookProperties;
import org.signaling.api.webhooks.WebhookProperties.ConfiguredSubscription;
import org.signaling.api.webhooks.WebhookReceiver;
import org.signaling.api.webhooks.WebhookReceiver.Reply;
import org.signaling.api.webhooks.WebhookReceiver.Request;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.signaling.api.webhooks.internal.WebhookEngine.properties;

/**
 * What webhook delivery promises, against real HTTP subscribers on loopback and a real database (each subclass
 * names one: H2, PostgreSQL). Time is a clock the test moves; nothing waits for real time but the subscribers'
 * timeouts.
 */
abstract class WebhookDeliveryContract {

	static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

	static final String SECRET = "test-secret-0123456789abcdef";

	static final Pattern SEQUENCE = Pattern.compile("\"sequence\":(\\d+)");

	final MutableClock clock = new MutableClock(NOW);

	final InMemoryEventLog events = new InMemoryEventLog(clock);

	final JsonMapper json = JsonMapper.builder().build();

	private final List<WebhookReceiver> receivers = new ArrayList<>();

	private final List<WebhookEngine> engines = new ArrayList<>();

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	/** The database under test, migrated by Flyway, with no webhook rows. */
	abstract DataSource dataSource();

	/** Called once the engines are stopped. */
	void closeDatabase() {
	}

	@AfterEach
	void closeAll() {
		// Receivers first: that releases held requests, so stopping an engine does not wait for them.
		receivers.forEach(WebhookReceiver::close);
		engines.forEach(WebhookEngine::close);
		dispatcherLogger().detachAppender(logs);
		closeDatabase();
	}

	@Test
	void deliversASignedJsonPostOfTheEvent() {
		WebhookReceiver receiver = receiver();
		WebhookEngine engine = engine(properties()).start();
		Subscription subscription = engine.subscribe(receiver.url(), SECRET);

		StoredEvent ended = events.append(EventTypes.CALL_ENDED, "call", "call-1",
				Map.of("call_id", "call-1", "from_dn", "5001", "end_cause", "normal_clearing", "duration", 42));

		awaitStatus(engine, subscription, ended, DeliveryStatus.DELIVERED);
		Request request = single(receiver.received());
		Delivery delivery = engine.deliveryOf(subscription, ended.event().id());
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.uri()).isEqualTo("/hooks/signaling?tenant=test");
		assertThat(request.header("Content-Type")).isEqualTo("application/json");
		assertThat(request.header("webhook-id")).isEqualTo(ended.event().id());
		assertThat(request.header("webhook-timestamp")).isEqualTo(Long.toString(NOW.getEpochSecond()));
		assertThat(request.header("webhook-signature")).matches("v1,[A-Za-z0-9+/]{43}=");
		assertThat(request.header("X-Signaling-Event-Id")).isEqualTo(ended.event().id());
		assertThat(request.header("X-Signaling-Delivery-Id")).isEqualTo(delivery.id());
		assertThat(request.header("X-Signaling-Timestamp")).isEqualTo(Long.toString(NOW.getEpochSecond()));
		assertThat(request.header("X-Signaling-Signature"))
			.isEqualTo("v1=" + IndependentVerifiers.openssl(SECRET, request.header("X-Signaling-Timestamp"),
					request.body()));
		Map<String, Object> body = json.readValue(request.body(), new TypeReference<LinkedHashMap<String, Object>>() {
		});
		assertThat(body.keySet()).containsExactly("id", "type", "occurred_at", "subject_type", "subject", "sequence",
				"data", "trace_id");
		assertThat(body).containsEntry("id", ended.event().id())
			.containsEntry("type", "call.ended")
			.containsEntry("occurred_at", "2026-11-26T10:00:00Z")
			.containsEntry("subject_type", "call")
			.containsEntry("subject", "call-1")
			.containsEntry("sequence", 1)
			.containsEntry("data",
					Map.of("call_id", "call-1", "from_dn", "5001", "end_cause", "normal_clearing", "duration", 42));
		assertThat(delivery.attempts()).isEqualTo(1);
		assertThat(delivery.lastStatusCode()).isEqualTo(200);
		assertThat(delivery.lastError()).isNull();
		assertThat(delivery.completedAt()).isEqualTo(NOW);
		assertThat(delivery.nextAttemptAt()).isNull();
	}

	@Test
	void retriesWithExponentialBackoffUntilTheSubscriberRecovers() {
		WebhookReceiver receiver = receiver().script(Reply.FAIL, Reply.FAIL);
		WebhookEngine engine = engine(properties()).start();
		Subscription subscription = engine.subscribe(receiver.url(), SECRET);

		StoredEvent busy = events.append(EventTypes.DN_BUSY, "dn", "5001", Map.of("dn", "5001"));

		Delivery first = awaitAttempts(engine, subscription, busy, 1);
		assertThat(first.status()).isEqualTo(DeliveryStatus.PENDING);
		assertThat(first.lastStatusCode()).isEqualTo(500);
		assertThat(first.lastError()).isEqualTo("HTTP 500");
		assertThat(first.nextAttemptAt()).isEqualTo(NOW.plusSeconds(1));

		engine.advance(Duration.ofSeconds(1));
		Delivery second = awaitAttempts(engine, subscription, busy, 2);
		assertThat(second.nextAttemptAt()).isEqualTo(NOW.plusSeconds(1 + 2));

		engine.advance(Duration.ofSeconds(2));
		Delivery delivered = awaitStatus(engine, subscription, busy, DeliveryStatus.DELIVERED);
		assertThat(delivered.attempts()).isEqualTo(3);
		assertThat(engine.deliveries.attempts(delivered.id(), 100)).extracting(Attempt::statusCode)
			.containsExactly(500, 500, 200);
		assertThat(receiver.receivedFor(busy.event().id())).hasSize(3)
			.extracting(Request::body)
			.containsOnly(receiver.received().get(0).body());
		assertThat(engine.meters.counter("signaling.webhook.attempts", "outcome", "http_error").count()).isEqualTo(2);
		assertThat(engine.meters.counter("signaling.webhook.attempts", "outcome", "success").count()).isEqualTo(1);
		assertThat(engine.meters.counter("signaling.webhook.deliveries", "outcome", "delivered").count()).isEqualTo(1);
	}

	@Test
	void aSubscriberThatDoesNotAnswerInTimeIsRetried() {
		WebhookReceiver receiver = receiver().script(Reply.HANG);
		WebhookEngine engine = engine(properties(Duration.ofMillis(300), 4, List.of())).start();
		Subscription subscription = engine.subscribe(receiver.url(), SECRET);

		StoredEvent event = events.append(EventTypes.DN_REGISTERED, "dn", "5001", Map.of("dn", "5001"));

		Delivery timedOut = awaitAttempts(engine, subscription, event, 1);
		assertThat(timedOut.status()).isEqualTo(DeliveryStatus.PENDING);
		assertThat(timedOut.lastStatusCode()).isNull();
		assertThat(timedOut.lastError()).startsWith("Timed out");
		engine.advance(Duration.ofSeconds(1));
		assertThat(awaitStatus(engine, subscription, event, DeliveryStatus.DELIVERED).attempts()).isEqualTo(2);
		assertThat(engine.meters.counter("signaling.webhook.attempts", "outcome", "timeout").count()).isEqualTo(1);
	}

	@Test
	void anUnreachableSubscriberIsRetried() {
		WebhookEngine engine = engine(properties()).start();
		Subscription subscription = engine.subscribe("http://127.0.0.1:" + FreePorts.tcp() + "/nobody", SECRET);

		StoredEvent event = events.append(EventTypes.GENESYS_DOWN, "genesys", "192.168.210.81:5060", Map.of());

		Delivery failed = awaitAttempts(engine, subscription, event, 1);
		assertThat(failed.status()).isEqualTo(DeliveryStatus.PENDING);
		assertThat(failed.lastStatusCode()).isNull();
		assertThat(failed.lastError()).isEqualTo("Connection refused or unreachable");
		assertThat(failed.nextAttemptAt()).isEqualTo(NOW.plusSeconds(1));
	}

	@Test
	void aSubscriptionFromConfigurationOutsideTheAllowedNetworksIsBlockedAtEveryAttemptAndNeverConnected() {
		WebhookReceiver receiver = receiver();
		ConfiguredSubscription crm = new ConfiguredSubscription("crm", receiver.url(), List.of(), List.of(), SECRET);
		// Only another loopback address is allowed: the receiver's 127.0.0.1 is refused, as in production.
		WebhookEngine engine = engine(properties(List.of("127.0.0.2/32"), Duration.ofSeconds(2), 4, List.of(crm)))
			.start();
		Subscription subscription = single(engine.subscriptions.findConfigured());

		StoredEvent event = events.append(EventTypes.CALL_ENDED, "call", "call-9", Map.of("call_id", "call-9"));

		Delivery blocked = awaitAttempts(engine, subscription, event, 1);
		assertThat(blocked.status()).isEqualTo(DeliveryStatus.PENDING);
		assertThat(blocked.lastStatusCode()).isNull();
		assertThat(blocked.lastError()).isEqualTo("Blocked: the host resolves to a non-public address");
		assertThat(blocked.nextAttemptAt()).isEqualTo(NOW.plusSeconds(1));
		engine.advance(Duration.ofSeconds(1));
		awaitAttempts(engine, subscription, event, 2);
		engine.advance(Duration.ofHours(25));
		Delivery dead = awaitStatus(engine, subscription, event, DeliveryStatus.DEAD);
		assertThat(engine.deliveries.attempts(dead.id(), 100)).extracting(Attempt::error)
			.containsOnly("Blocked: the host resolves to a non-public address");
		assertThat(engine.meters.counter("signaling.webhook.attempts", "outcome", "blocked").count())
			.isEqualTo(dead.attempts());
		assertThat(receiver.received()).isEmpty();
	}

	@Test
	void isDeadAfterTheRetryPeriodLoggedOnceAndCanBeRedelivered() {
		ListAppender<ILoggingEvent> logs = captureLogs();
		WebhookReceiver receiver = receiver().answer(Reply.FAIL);
		WebhookEngine engine = engine(properties()).start();
		Subscription subscription = engine.subscribe(receiver.url(), SECRET);
		StoredEvent event = events.append(EventTypes.CALL_ANSWERED, "call", "call-7", Map.of("call_id", "call-7"));
		awaitAttempts(engine, subscription, event, 1);

		engine.advance(Duration.ofHours(25));

		Delivery dead = awaitStatus(engine, subscription, event, DeliveryStatus.DEAD);
		assertThat(dead.attempts()).isEqualTo(2);
		assertThat(dead.completedAt()).isEqualTo(NOW.plus(Duration.ofHours(25)));
		assertThat(dead.nextAttemptAt()).isNull();
		engine.advance(Duration.ofHours(1));
		await().untilAsserted(() -> assertThat(engine.meters.get("signaling.webhook.deliveries.dead").gauge().value())
			.isEqualTo(1.0));
		assertThat(receiver.receivedFor(event.event().id())).hasSize(2);
		assertThat(engine.meters.counter("signaling.webhook.deliveries", "outcome", "dead").count()).isEqualTo(1);
		assertThat(logs.list).filteredOn((line) -> line.getLevel() == Level.WARN)
			.singleElement()
			.satisfies((line) -> assertThat(line.getFormattedMessage()).contains(dead.id(), "is dead", "HTTP 500")
				.doesNotContain(SECRET, "call-7"));

		receiver.answer(Reply.OK);
		assertThat(engine.deliveries.redeliver(subscription.id(), dead.id(), clock.instant())).get()
			.extracting(Delivery::status)
			.isEqualTo(DeliveryStatus.PENDING);
		engine.dispatcher.wake();

		assertThat(awaitStatus(engine, subscription, event, DeliveryStatus.DELIVERED).attempts()).isEqualTo(3);
		assertThat(receiver.receivedFor(event.event().id())).hasSize(3);
	}

	@Test
	void aSlowSubscriberHoldsBackOnlyTheNextEventOfTheSameSubject() {
		WebhookReceiver receiver = receiver().answer((request) -> request.body().contains("\"subject\":\"5001\"")
				? Reply.HOLD : Reply.OK);
		WebhookEngine engine = engine(properties(Duration.ofSeconds(30), 4, List.of())).start();
		Subscription subscription = engine.subscribe(receiver.url(), SECRET);
		StoredEvent busy = events.append(EventTypes.DN_BUSY, "dn", "5001", Map.of("dn", "5001"));
		await().until(() -> receiver.blocked() == 1);

		StoredEvent available = events.append(EventTypes.DN_AVAILABLE, "dn", "5001", Map.of("dn", "5001"));
		StoredEvent other = events.append(EventTypes.DN_BUSY, "dn", "5002", Map.of("dn", "5002"));

		awaitStatus(engine, subscription, other, DeliveryStatus.DELIVERED);
		assertThat(receiver.receivedFor(busy.event().id())).hasSize(1);
		assertThat(receiver.receivedFor(available.event().id())).isEmpty();

		receiver.answer(Reply.OK);
		receiver.release();
		awaitStatus(engine, subscription, available, DeliveryStatus.DELIVERED);
		assertThat(engine.deliveryOf(subscription, busy.event().id()).attempts()).isEqualTo(1);
		assertThat(receiver.accepted()).extracting(Request::eventId)
			.containsSubsequence(busy.event().id(), available.event().id());
	}

	@Test
	void keepsTheOrderOfEachSubjectUnderConcurrentSubjectsAndFailures() throws Exception {
		int subjects = 8;
		int perSubject = 12;
		Set<String> failedOnce = ConcurrentHashMap.newKeySet();
		// Every third event of a subject fails its first attempt: the next one must wait for its retry.
		WebhookReceiver receiver = receiver()
			.answer((request) -> (sequenceOf(request) % 3 == 0 && failedOnce.add(request.eventId())) ? Reply.FAIL
					: Reply.OK);
		WebhookEngine engine = engine(properties(Duration.ofSeconds(2), 4, List.of())).start();
		engine.subscribe(receiver.url(), SECRET);

		ExecutorService producers = Executors.newFixedThreadPool(4);
		try {
			List<Callable<Void>> tasks = new ArrayList<>();
			for (int s = 0; s < subjects; s++) {
				String callId = "call-s" + s;
				tasks.add(() -> {
					for (int i = 0; i < perSubject; i++) {
						events.append(EventTypes.CALL_RINGING, "call", callId, Map.of("call_id", callId, "n", i));
					}
					return null;
				});
			}
			for (var done : producers.invokeAll(tasks)) {
				done.get();
			}
		}
		finally {
			producers.shutdown();
			assertThat(producers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		}

		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			engine.advance(Duration.ofSeconds(5)); // lets the failed ones' retries come due
			assertThat(receiver.accepted()).hasSize(subjects * perSubject);
		});
		List<Request> accepted = receiver.accepted();
		assertThat(accepted).extracting(Request::eventId).doesNotHaveDuplicates();
		for (int s = 0; s < subjects; s++) {
			String subject = "\"subject\":\"call-s" + s + "\"";
			assertThat(accepted.stream().filter((request) -> request.body().contains(subject)).map(this::sequenceOf))
				.as("order of call-s%d", s)
				.containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
		}
		assertThat(failedOnce).hasSize(subjects * (perSubject / 3));
	}

	@Test
	void aSubscriberThatNeverAnswersDelaysNoOtherSubscriber() {
		WebhookReceiver dead = receiver().answer(Reply.HANG);
		WebhookReceiver healthy = receiver();
		WebhookEngine engine = engine(properties(Duration.ofSeconds(30), 2, List.of())).start();
		engine.subscribe(dead.url(), SECRET);
		engine.subscribe(healthy.url(), SECRET);

		for (int i = 1; i <= 10; i++) {
			events.append(EventTypes.DN_REGISTERED, "dn", "50" + (10 + i), Map.of("dn", "50" + (10 + i)));
		}

		await().untilAsserted(() -> assertThat(healthy.accepted()).hasSize(10));
		// The dead subscriber holds its two senders (max-in-flight-per-subscription) and no more.
		assertThat(dead.received()).hasSize(2);
		assertThat(dead.blocked()).isEqualTo(2);
	}

	@Test
	void aRestartInTheMiddleOfRetriesResumesWithNothingLostOrDuplicated() {
		WebhookReceiver receiver = receiver().answer(Reply.FAIL);
		WebhookEngine before = engine(properties()).start();
		Subscription subscription = before.subscribe(receiver.url(), SECRET);
		StoredEvent a1 = events.append(EventTypes.CALL_INITIATED, "call", "call-a", Map.of("call_id", "call-a"));
		StoredEvent a2 = events.append(EventTypes.CALL_RINGING, "call", "call-a", Map.of("call_id", "call-a"));
		StoredEvent b1 = events.append(EventTypes.CALL_INITIATED, "call", "call-b", Map.of("call_id", "call-b"));
		awaitAttempts(before, subscription, a1, 1);
		awaitAttempts(before, subscription, b1, 1);
		before.close();

		StoredEvent a3 = events.append(EventTypes.CALL_ENDED, "call", "call-a", Map.of("call_id", "call-a"));
		StoredEvent c1 = events.append(EventTypes.CALL_INITIATED, "call", "call-c", Map.of("call_id", "call-c"));
		receiver.answer(Reply.OK);
		WebhookEngine after = engine(properties()).start();
		after.advance(Duration.ofSeconds(1));

		await().untilAsserted(() -> assertThat(after.deliveriesOf(subscription)).hasSize(5)
			.allSatisfy((delivery) -> assertThat(delivery.status()).isEqualTo(DeliveryStatus.DELIVERED)));
		assertThat(receiver.accepted()).extracting(Request::eventId)
			.containsExactlyInAnyOrder(ids(a1, a2, a3, b1, c1))
			.containsSubsequence(ids(a1, a2, a3));
		assertThat(after.deliveryOf(subscription, a1.event().id()).attempts()).isEqualTo(2);
		assertThat(after.deliveryOf(subscription, a2.event().id()).attempts()).isEqualTo(1);
	}

	@Test
	void anAttemptCutShortByACrashIsMadeAgainByAnotherReplicaOnceTheClaimLapses() {
		WebhookReceiver receiver = receiver().script(Reply.HANG);
		WebhookProperties properties = properties(Duration.ofSeconds(30), 4, List.of());
		WebhookEngine crashed = engine(properties).start();
		Subscription subscription = crashed.subscribe(receiver.url(), SECRET);
		StoredEvent event = events.append(EventTypes.DN_UNREGISTERED, "dn", "5001", Map.of("dn", "5001"));
		await().until(() -> receiver.blocked() == 1);

		crashed.dispatcher.halt();
		WebhookEngine other = engine(properties).start();

		Delivery held = other.deliveryOf(subscription, event.event().id());
		assertThat(other.deliveries.claim(held, "another-replica", clock.instant(), clock.instant().plusSeconds(60)))
			.as("claimed by the crashed replica until its lease lapses").isFalse();
		// the lease: the attempt's deadline (connect 2 s + response 30 s) and the margin
		other.advance(Duration.ofSeconds(32).plus(WebhookDispatcher.LEASE_MARGIN));
		Delivery delivered = awaitStatus(other, subscription, event, DeliveryStatus.DELIVERED);
		assertThat(delivered.attempts()).isEqualTo(1);
		// At least once: the subscriber saw the event twice and recognises it by its id.
		assertThat(receiver.receivedFor(event.event().id())).hasSize(2);
	}

	@Test
	void twoReplicasOnOneDatabaseNeverSendTheSameDeliveryTwice() {
		WebhookReceiver receiver = receiver().answer(Reply.HOLD);
		// Held answers within the response timeout: no attempt times out while the test holds them.
		WebhookProperties properties = properties(Duration.ofSeconds(30), 4, List.of());
		WebhookEngine first = engine(properties).start();
		engine(properties).start();
		Subscription subscription = first.subscribe(receiver.url(), SECRET);
		List<StoredEvent> appended = new ArrayList<>();
		for (int i = 1; i <= 6; i++) {
			appended.add(events.append(EventTypes.CALL_INITIATED, "call", "call-" + i, Map.of("call_id", "call-" + i)));
		}

		// Both replicas take deliveries (4 at most each): all six are held by the subscriber, each once.
		await().until(() -> receiver.blocked() >= appended.size());
		assertThat(receiver.received()).extracting(Request::eventId).doesNotHaveDuplicates();

		receiver.release();
		await().untilAsserted(() -> assertThat(first.deliveriesOf(subscription)).hasSize(appended.size())
			.allSatisfy((delivery) -> assertThat(delivery.status()).isEqualTo(DeliveryStatus.DELIVERED)));
		assertThat(receiver.received()).extracting(Request::eventId)
			.containsExactlyInAnyOrder(ids(appended.toArray(StoredEvent[]::new)));
		assertThat(first.deliveriesOf(subscription)).allSatisfy((delivery) -> assertThat(delivery.attempts()).isOne());
	}

	@Test
	void deliversOnlyTheSubscribedTypesAndEventsAboutTheFilteredDns() {
		WebhookReceiver receiver = receiver();
		WebhookEngine engine = engine(properties()).start();
		Subscription subscription = engine.subscribe(receiver.url(), Set.of(EventTypes.CALL_ENDED, EventTypes.DN_BUSY),
				Set.of("5001"), SECRET);

		StoredEvent dnItself = events.append(EventTypes.DN_BUSY, "dn", "5001", Map.of("dn", "5001"));
		events.append(EventTypes.DN_BUSY, "dn", "5002", Map.of("dn", "5002"));
		events.append(EventTypes.CALL_ENDED, "call", "call-1",
				Map.of("from_dn", "5002", "dns", List.of("5002", "1003")));
		StoredEvent listed = events.append(EventTypes.CALL_ENDED, "call", "call-2",
				Map.of("from_dn", "1003", "dns", List.of("1003", "5001")));
		events.append(EventTypes.CALL_RINGING, "call", "call-2", Map.of("dns", List.of("5001")));
		events.append(EventTypes.GENESYS_DOWN, "genesys", "192.168.210.81:5060", Map.of());
		StoredEvent callee = events.append(EventTypes.CALL_ENDED, "call", "call-3", Map.of("to_dn", "5001"));

		await().untilAsserted(() -> assertThat(engine.subscriptions.find(subscription.id()).orElseThrow().eventCursor())
			.isEqualTo(events.lastPosition()));
		await().untilAsserted(() -> assertThat(receiver.accepted()).hasSize(3));
		assertThat(engine.deliveriesOf(subscription)).extracting(Delivery::eventId)
			.containsExactlyInAnyOrder(ids(dnItself, listed, callee));
	}

	@Test
	void signsWithThePreviousSecretTooUntilItExpires() {
		WebhookReceiver receiver = receiver();
		WebhookEngine engine = engine(properties()).start();
		String previous = "previous-secret-0123456789";
		Subscription subscription = new Subscription(WebhookSigner.newId("wh-"), null, Subscription.API,
				receiver.url(), Set.copyOf(EventTypes.ALL), Set.of(), SECRET, previous, NOW.plus(Duration.ofHours(1)),
				events.lastPosition(), NOW, NOW);
		engine.subscriptions.insert(subscription);

		StoredEvent during = events.append(EventTypes.DN_BUSY, "dn", "5001", Map.of("dn", "5001"));
		awaitStatus(engine, subscription, during, DeliveryStatus.DELIVERED);
		clock.advance(Duration.ofHours(2));
		StoredEvent afterwards = events.append(EventTypes.DN_AVAILABLE, "dn", "5001", Map.of("dn", "5001"));
		awaitStatus(engine, subscription, afterwards, DeliveryStatus.DELIVERED);

		Request first = single(receiver.receivedFor(during.event().id()));
		String firstTimestamp = first.header("X-Signaling-Timestamp");
		assertThat(first.header("X-Signaling-Signature"))
			.isEqualTo("v1=" + IndependentVerifiers.openssl(SECRET, firstTimestamp, first.body()) + ",v1="
					+ IndependentVerifiers.openssl(previous, firstTimestamp, first.body()));
		Request second = single(receiver.receivedFor(afterwards.event().id()));
		assertThat(second.header("X-Signaling-Signature")).isEqualTo(
				"v1=" + IndependentVerifiers.openssl(SECRET, second.header("X-Signaling-Timestamp"), second.body()));
	}

	@Test
	void aDeletedSubscriptionsDeliveriesAreDroppedAndOthersGoOn() {
		WebhookReceiver failing = receiver().answer(Reply.FAIL);
		WebhookReceiver other = receiver();
		WebhookEngine engine = engine(properties()).start();
		Subscription deleted = engine.subscribe(failing.url(), SECRET);
		StoredEvent first = events.append(EventTypes.DN_BUSY, "dn", "5001", Map.of("dn", "5001"));
		awaitAttempts(engine, deleted, first, 1);

		assertThat(engine.subscriptions.delete(deleted.id())).isTrue();
		assertThat(engine.deliveriesOf(deleted)).isEmpty();
		engine.subscribe(other.url(), SECRET);
		engine.advance(Duration.ofHours(1));
		events.append(EventTypes.DN_AVAILABLE, "dn", "5001", Map.of("dn", "5001"));

		await().untilAsserted(() -> assertThat(other.accepted()).hasSize(1));
		assertThat(failing.received()).hasSize(1);
	}

	@Test
	void completedDeliveriesArePrunedAfterTheRetention() {
		WebhookReceiver receiver = receiver();
		WebhookEngine engine = engine(properties()).start();
		Subscription subscription = engine.subscribe(receiver.url(), SECRET);
		StoredEvent event = events.append(EventTypes.DN_BUSY, "dn", "5001", Map.of("dn", "5001"));
		awaitStatus(engine, subscription, event, DeliveryStatus.DELIVERED);

		engine.advance(Duration.ofDays(8));

		await().untilAsserted(() -> assertThat(engine.deliveriesOf(subscription)).isEmpty());
	}

	@Test
	void configurationSubscriptionsAreUpsertedByNameAtStartUp() {
		WebhookReceiver receiver = receiver();
		String secret = "config-secret-0123456789";
		ConfiguredSubscription crm = new ConfiguredSubscription("crm", receiver.url(), List.of(EventTypes.CALL_ENDED),
				List.of(), secret);
		StoredEvent beforeItExisted = events.append(EventTypes.CALL_ENDED, "call", "call-0", Map.of());
		WebhookEngine first = engine(properties(Duration.ofSeconds(2), 4, List.of(crm))).start();
		Subscription created = single(first.subscriptions.findConfigured());
		assertThat(created.name()).isEqualTo("crm");
		assertThat(created.isFromConfiguration()).isTrue();
		assertThat(created.eventCursor()).isEqualTo(beforeItExisted.position());
		first.close();

		StoredEvent whileDown = events.append(EventTypes.CALL_ENDED, "call", "call-1", Map.of());
		String rotated = "config-secret-rotated-0123456789";
		ConfiguredSubscription changed = new ConfiguredSubscription("crm", receiver.url() + "&v=2",
				List.of(EventTypes.CALL_ENDED), List.of(), rotated);
		WebhookEngine second = engine(properties(Duration.ofSeconds(2), 4, List.of(changed))).start();

		Subscription updated = single(second.subscriptions.findConfigured());
		assertThat(updated.id()).isEqualTo(created.id());
		assertThat(updated.url()).endsWith("&v=2");
		assertThat(updated.secret()).isEqualTo(rotated);
		assertThat(updated.previousSecret()).isEqualTo(secret);
		assertThat(updated.previousSecretExpiresAt()).isEqualTo(NOW.plus(Duration.ofHours(24)));
		awaitStatus(second, updated, whileDown, DeliveryStatus.DELIVERED);
		Request request = single(receiver.received());
		assertThat(request.eventId()).isEqualTo(whileDown.event().id());
		assertThat(request.uri()).endsWith("&v=2");
		String timestamp = request.header("X-Signaling-Timestamp");
		assertThat(request.header("X-Signaling-Signature"))
			.isEqualTo("v1=" + IndependentVerifiers.openssl(rotated, timestamp, request.body()) + ",v1="
					+ IndependentVerifiers.openssl(secret, timestamp, request.body()));
		second.close();

		WebhookEngine third = engine(properties(Duration.ofSeconds(2), 4, List.of())).start();
		assertThat(third.subscriptions.findConfigured()).isEmpty();
		assertThat(third.subscriptions.find(created.id())).isEmpty();
	}

	WebhookReceiver receiver() {
		WebhookReceiver receiver = WebhookReceiver.start();
		receivers.add(receiver);
		return receiver;
	}

	WebhookEngine engine(WebhookProperties properties) {
		WebhookEngine engine = new WebhookEngine(dataSource(), events, clock, properties);
		engines.add(engine);
		return engine;
	}

	static Delivery awaitAttempts(WebhookEngine engine, Subscription subscription, StoredEvent event, int attempts) {
		return await().until(() -> find(engine, subscription, event), (delivery) -> delivery != null
				&& delivery.attempts() == attempts);
	}

	static Delivery awaitStatus(WebhookEngine engine, Subscription subscription, StoredEvent event,
			DeliveryStatus status) {
		return await().until(() -> find(engine, subscription, event),
				(delivery) -> delivery != null && delivery.status() == status);
	}

	private static Delivery find(WebhookEngine engine, Subscription subscription, StoredEvent event) {
		return engine.deliveriesOf(subscription)
			.stream()
			.filter((delivery) -> delivery.eventId().equals(event.event().id()))
			.findFirst()
			.orElse(null);
	}

	long sequenceOf(Request request) {
		Matcher matcher = SEQUENCE.matcher(request.body());
		return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
	}

	static String[] ids(StoredEvent... stored) {
		return Arrays.stream(stored).map((event) -> event.event().id()).toArray(String[]::new);
	}

	static <T> T single(List<T> list) {
		assertThat(list).hasSize(1);
		return list.get(0);
	}

	private ListAppender<ILoggingEvent> captureLogs() {
		logs.start();
		dispatcherLogger().addAppender(logs);
		return logs;
	}

	private static Logger dispatcherLogger() {
		return (Logger) LoggerFactory.getLogger(WebhookDispatcher.class);
	}

}
