package org.signaling.api.webhooks.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import static org.signaling.api.webhooks.internal.SubscriptionRepository.timestamp;

/** The outbox (table {@code webhook_delivery}) and every attempt (table {@code webhook_attempt}). */
@Repository
public class DeliveryRepository {

	private static final String COLUMNS = "id, subscription_id, event_position, event_id, event_type, subject_type,"
			+ " subject, sequence, payload, status, attempts, created_at, retry_from, next_attempt_at, last_attempt_at,"
			+ " completed_at, last_status_code, last_error";

	private static final String PENDING = DeliveryStatus.PENDING.jsonName();

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	public DeliveryRepository(JdbcClient jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	/**
	 * Stores new deliveries and moves the subscription's cursor past the events they came from, in one transaction:
	 * after a crash either both happened or neither, so no event is skipped or turned into a delivery twice.
	 * @return false (and nothing stored) when the cursor was no longer at {@code from}, or the subscription is gone
	 */
	boolean createAndAdvance(String subscriptionId, long from, long to, List<Delivery> deliveries) {
		Boolean done = transactions.execute((status) -> {
			int moved = jdbc.sql("update webhook_subscription set event_cursor = :to where id = :id"
					+ " and event_cursor = :from")
				.param("id", subscriptionId)
				.param("from", from)
				.param("to", to)
				.update();
			if (moved != 1) {
				return false;
			}
			deliveries.forEach(this::insert);
			return true;
		});
		return Boolean.TRUE.equals(done);
	}

	/** A delivery of no logged event (a test delivery): the subscription's cursor stays where it is. */
	void add(Delivery delivery) {
		insert(delivery);
	}

	private void insert(Delivery delivery) {
		jdbc.sql("insert into webhook_delivery (" + COLUMNS + ") values (:id, :subscriptionId, :eventPosition,"
				+ " :eventId, :eventType, :subjectType, :subject, :sequence, :payload, :status, :attempts,"
				+ " :createdAt, :retryFrom, :nextAttemptAt, :lastAttemptAt, :completedAt, :lastStatusCode,"
				+ " :lastError)")
			.params(parameters(delivery))
			.update();
	}

	/** Subscriptions with at least one pending delivery due now. */
	List<String> subscriptionsWithDueDeliveries(Instant now) {
		return jdbc.sql("select distinct subscription_id from webhook_delivery where status = :pending"
				+ " and next_attempt_at <= :now")
			.param("pending", PENDING)
			.param("now", Timestamp.from(now))
			.query(String.class)
			.list();
	}

	/**
	 * Due deliveries of one subscription that are the oldest pending one of their subject: the next of a subject
	 * waits until the one before it is delivered or dead. One that a replica holds a live claim on is not due.
	 */
	List<Delivery> dueHeads(String subscriptionId, Instant now, int limit) {
		return jdbc.sql("select " + COLUMNS + " from webhook_delivery d where d.subscription_id = :subscriptionId"
				+ " and d.status = :pending and d.next_attempt_at <= :now"
				+ " and (d.claimed_until is null or d.claimed_until <= :now) and not exists (select 1 from"
				+ " webhook_delivery e where e.subscription_id = d.subscription_id and e.subject_type = d.subject_type"
				+ " and e.subject = d.subject and e.status = :pending and e.event_position < d.event_position)"
				+ " order by d.next_attempt_at, d.event_position fetch first :limit rows only")
			.param("subscriptionId", subscriptionId)
			.param("pending", PENDING)
			.param("now", Timestamp.from(now))
			.param("limit", limit)
			.query(DeliveryRepository::map)
			.list();
	}

	/**
	 * Claims a delivery for one attempt by this replica until {@code until}: true when it is still pending with the
	 * same number of attempts and no other replica holds a live claim on it.
	 *
	 * <p>One conditional update rather than {@code SELECT ... FOR UPDATE SKIP LOCKED}: the claim must outlive the
	 * statement (an attempt takes up to the sender's deadline, and a row lock held that long would pin a transaction
	 * and a connection per attempt), so it is a lease written in the row; and the same statement runs on H2, the
	 * single-instance default, and on PostgreSQL. Two replicas racing for one row serialize on its row lock, and the
	 * second finds the lease taken.
	 */
	boolean claim(Delivery delivery, String replica, Instant now, Instant until) {
		return jdbc.sql("update webhook_delivery set claimed_by = :replica, claimed_until = :until where id = :id"
				+ " and status = :pending and attempts = :attempts"
				+ " and (claimed_until is null or claimed_until <= :now)")
			.param("replica", replica)
			.param("until", Timestamp.from(until))
			.param("id", delivery.id())
			.param("pending", PENDING)
			.param("attempts", delivery.attempts())
			.param("now", Timestamp.from(now))
			.update() == 1;
	}

	/** Gives up a claim without an attempt (stopping before it was made): the delivery is due again at once. */
	void release(Delivery delivery, String replica) {
		jdbc.sql("update webhook_delivery set claimed_by = null, claimed_until = null where id = :id"
				+ " and claimed_by = :replica and attempts = :attempts")
			.param("id", delivery.id())
			.param("replica", replica)
			.param("attempts", delivery.attempts())
			.update();
	}

	/**
	 * Records an attempt and its consequence, if the delivery is still the one that was attempted (pending, with
	 * the same number of attempts, its subscription not deleted).
	 */
	boolean recordAttempt(Delivery attempted, Attempt attempt, DeliveryStatus status, @Nullable Instant nextAttemptAt,
			Instant endedAt) {
		Boolean recorded = transactions.execute((tx) -> {
			int updated = jdbc.sql("update webhook_delivery set status = :status, attempts = :attempts,"
					+ " next_attempt_at = :nextAttemptAt, last_attempt_at = :endedAt, completed_at = :completedAt,"
					+ " last_status_code = :statusCode, last_error = :error, claimed_by = null, claimed_until = null"
					+ " where id = :id and status = :pending and attempts = :before")
				.param("status", status.jsonName())
				.param("attempts", attempt.attempt())
				.param("nextAttemptAt", timestamp(nextAttemptAt))
				.param("endedAt", Timestamp.from(endedAt))
				.param("completedAt", (status == DeliveryStatus.PENDING) ? null : Timestamp.from(endedAt))
				.param("statusCode", attempt.statusCode())
				.param("error", attempt.error())
				.param("id", attempted.id())
				.param("pending", PENDING)
				.param("before", attempted.attempts())
				.update();
			if (updated != 1) {
				return false;
			}
			jdbc.sql("insert into webhook_attempt (delivery_id, attempt, attempted_at, duration_ms, status_code, error)"
					+ " values (:id, :attempt, :attemptedAt, :duration, :statusCode, :error)")
				.param("id", attempted.id())
				.param("attempt", attempt.attempt())
				.param("attemptedAt", Timestamp.from(attempt.attemptedAt()))
				.param("duration", attempt.durationMillis())
				.param("statusCode", attempt.statusCode())
				.param("error", attempt.error())
				.update();
			return true;
		});
		return Boolean.TRUE.equals(recorded);
	}

	/**
	 * Makes a delivery due now. A delivered or dead one is pending again with a new retry period; a pending one
	 * keeps its period and is only brought forward.
	 */
	public Optional<Delivery> redeliver(String subscriptionId, String deliveryId, Instant now) {
		int updated = jdbc.sql("update webhook_delivery set retry_from = case when status = :pending then retry_from"
				+ " else :now end, status = :pending, next_attempt_at = :now, completed_at = null"
				+ " where id = :id and subscription_id = :subscriptionId")
			.param("pending", PENDING)
			.param("now", Timestamp.from(now))
			.param("id", deliveryId)
			.param("subscriptionId", subscriptionId)
			.update();
		return (updated == 1) ? find(subscriptionId, deliveryId) : Optional.empty();
	}

	public Optional<Delivery> find(String subscriptionId, String deliveryId) {
		return jdbc.sql("select " + COLUMNS
				+ " from webhook_delivery where id = :id and subscription_id = :subscriptionId")
			.param("id", deliveryId)
			.param("subscriptionId", subscriptionId)
			.query(DeliveryRepository::map)
			.optional();
	}

	/** A subscription's deliveries, newest first (test deliveries, which have no place in the log, among them). */
	public List<Delivery> list(String subscriptionId, @Nullable DeliveryStatus status, int limit) {
		String filter = (status != null) ? " and status = :status" : "";
		JdbcClient.StatementSpec statement = jdbc.sql("select " + COLUMNS + " from webhook_delivery"
				+ " where subscription_id = :subscriptionId" + filter
				+ " order by created_at desc, event_position desc fetch first :limit rows only")
			.param("subscriptionId", subscriptionId)
			.param("limit", limit);
		if (status != null) {
			statement = statement.param("status", status.jsonName());
		}
		return statement.query(DeliveryRepository::map).list();
	}

	/** The attempts of a delivery, the last {@code limit}, oldest first. */
	public List<Attempt> attempts(String deliveryId, int limit) {
		List<Attempt> newestFirst = jdbc.sql("select attempt, attempted_at, duration_ms, status_code, error"
				+ " from webhook_attempt where delivery_id = :id order by attempt desc fetch first :limit rows only")
			.param("id", deliveryId)
			.param("limit", limit)
			.query((rs, row) -> new Attempt(rs.getInt("attempt"), rs.getTimestamp("attempted_at").toInstant(),
					rs.getLong("duration_ms"), integer(rs, "status_code"), rs.getString("error")))
			.list();
		List<Attempt> oldestFirst = new ArrayList<>(newestFirst);
		Collections.reverse(oldestFirst);
		return oldestFirst;
	}

	/** How many deliveries are in this state, over all subscriptions (an index count, cheap enough to poll). */
	long count(DeliveryStatus status) {
		return jdbc.sql("select count(*) from webhook_delivery where status = :status")
			.param("status", status.jsonName())
			.query(Long.class)
			.single();
	}

	/** Pending and dead counts per subscription (absent = none). */
	public Map<String, Map<DeliveryStatus, Long>> openCountsBySubscription() {
		Map<String, Map<DeliveryStatus, Long>> counts = new HashMap<>();
		jdbc.sql("select subscription_id, status, count(*) as n from webhook_delivery where status in (:pending, :dead)"
				+ " group by subscription_id, status")
			.param("pending", PENDING)
			.param("dead", DeliveryStatus.DEAD.jsonName())
			.query((rs) -> {
				DeliveryStatus status = DeliveryStatus.ofJsonName(rs.getString("status")).orElseThrow();
				counts.computeIfAbsent(rs.getString("subscription_id"), (id) -> new EnumMap<>(DeliveryStatus.class))
					.put(status, rs.getLong("n"));
			});
		return counts;
	}

	/** Deletes delivered and dead deliveries completed before the cutoff; returns how many. */
	int deleteCompletedBefore(Instant cutoff) {
		return jdbc.sql("delete from webhook_delivery where status <> :pending and completed_at < :cutoff")
			.param("pending", PENDING)
			.param("cutoff", Timestamp.from(cutoff))
			.update();
	}

	private static Map<String, Object> parameters(Delivery delivery) {
		Map<String, Object> values = new HashMap<>();
		values.put("id", delivery.id());
		values.put("subscriptionId", delivery.subscriptionId());
		values.put("eventPosition", delivery.eventPosition());
		values.put("eventId", delivery.eventId());
		values.put("eventType", delivery.eventType());
		values.put("subjectType", delivery.subjectType());
		values.put("subject", delivery.subject());
		values.put("sequence", delivery.sequence());
		values.put("payload", delivery.payload());
		values.put("status", delivery.status().jsonName());
		values.put("attempts", delivery.attempts());
		values.put("createdAt", Timestamp.from(delivery.createdAt()));
		values.put("retryFrom", Timestamp.from(delivery.retryFrom()));
		values.put("nextAttemptAt", timestamp(delivery.nextAttemptAt()));
		values.put("lastAttemptAt", timestamp(delivery.lastAttemptAt()));
		values.put("completedAt", timestamp(delivery.completedAt()));
		values.put("lastStatusCode", delivery.lastStatusCode());
		values.put("lastError", delivery.lastError());
		return values;
	}

	private static Delivery map(ResultSet rs, int row) throws SQLException {
		return new Delivery(rs.getString("id"), rs.getString("subscription_id"), rs.getLong("event_position"),
				rs.getString("event_id"), rs.getString("event_type"), rs.getString("subject_type"),
				rs.getString("subject"), rs.getLong("sequence"), rs.getString("payload"),
				DeliveryStatus.ofJsonName(rs.getString("status")).orElseThrow(), rs.getInt("attempts"),
				rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("retry_from").toInstant(),
				instant(rs.getTimestamp("next_attempt_at")), instant(rs.getTimestamp("last_attempt_at")),
				instant(rs.getTimestamp("completed_at")), integer(rs, "last_status_code"), rs.getString("last_error"));
	}

	private static @Nullable Integer integer(ResultSet rs, String column) throws SQLException {
		int value = rs.getInt(column);
		return rs.wasNull() ? null : value;
	}

	private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
