package org.signaling.api.webhooks.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.signaling.api.events.EventTypes;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Webhook subscriptions (table {@code webhook_subscription}). */
@Repository
public class SubscriptionRepository {

	private static final String COLUMNS = "id, name, source, url, event_types, dns, secret, previous_secret,"
			+ " previous_secret_expires_at, event_cursor, created_at, updated_at";

	private final JdbcClient jdbc;

	public SubscriptionRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public void insert(Subscription subscription) {
		jdbc.sql("insert into webhook_subscription (" + COLUMNS + ") values (:id, :name, :source, :url, :eventTypes,"
				+ " :dns, :secret, :previousSecret, :previousSecretExpiresAt, :eventCursor, :createdAt, :updatedAt)")
			.params(parameters(subscription))
			.update();
	}

	/** Changes what may change: URL, filter and secrets (never the cursor: only the dispatcher moves it). */
	public boolean update(Subscription subscription) {
		return jdbc.sql("update webhook_subscription set url = :url, event_types = :eventTypes, dns = :dns,"
				+ " secret = :secret, previous_secret = :previousSecret,"
				+ " previous_secret_expires_at = :previousSecretExpiresAt, updated_at = :updatedAt where id = :id")
			.params(parameters(subscription))
			.update() == 1;
	}

	/** The lowest cursor of all subscriptions: the event log keeps everything after it. */
	OptionalLong lowestCursor() {
		return jdbc.sql("select count(*) as subscriptions, coalesce(min(event_cursor), 0) as lowest"
				+ " from webhook_subscription")
			.query((rs, row) -> (rs.getLong("subscriptions") == 0) ? OptionalLong.empty()
					: OptionalLong.of(rs.getLong("lowest")))
			.single();
	}

	/** Deletes a subscription with its deliveries and their attempts. */
	public boolean delete(String id) {
		return jdbc.sql("delete from webhook_subscription where id = :id").param("id", id).update() == 1;
	}

	public Optional<Subscription> find(String id) {
		return jdbc.sql("select " + COLUMNS + " from webhook_subscription where id = :id")
			.param("id", id)
			.query(SubscriptionRepository::map)
			.optional();
	}

	/** Every subscription, oldest first. */
	public List<Subscription> findAll() {
		return jdbc.sql("select " + COLUMNS + " from webhook_subscription order by created_at, id")
			.query(SubscriptionRepository::map)
			.list();
	}

	public List<Subscription> findConfigured() {
		return jdbc.sql("select " + COLUMNS + " from webhook_subscription where source = :source order by name")
			.param("source", Subscription.CONFIG)
			.query(SubscriptionRepository::map)
			.list();
	}

	public int countBySource(String source) {
		return jdbc.sql("select count(*) from webhook_subscription where source = :source")
			.param("source", source)
			.query(Integer.class)
			.single();
	}

	/** Event types in the order of {@link EventTypes#ALL}, so every listing shows them the same way. */
	public static List<String> ordered(Collection<String> eventTypes) {
		return EventTypes.ALL.stream().filter(eventTypes::contains).toList();
	}

	private static Map<String, Object> parameters(Subscription subscription) {
		Map<String, Object> values = new HashMap<>();
		values.put("id", subscription.id());
		values.put("name", subscription.name());
		values.put("source", subscription.source());
		values.put("url", subscription.url());
		values.put("eventTypes", String.join(",", ordered(subscription.eventTypes())));
		values.put("dns", String.join(",", subscription.dns().stream().sorted().toList()));
		values.put("secret", subscription.secret());
		values.put("previousSecret", subscription.previousSecret());
		values.put("previousSecretExpiresAt", timestamp(subscription.previousSecretExpiresAt()));
		values.put("eventCursor", subscription.eventCursor());
		values.put("createdAt", timestamp(subscription.createdAt()));
		values.put("updatedAt", timestamp(subscription.updatedAt()));
		return values;
	}

	private static Subscription map(ResultSet rs, int row) throws SQLException {
		Timestamp expires = rs.getTimestamp("previous_secret_expires_at");
		return new Subscription(rs.getString("id"), rs.getString("name"), rs.getString("source"), rs.getString("url"),
				split(rs.getString("event_types")), split(rs.getString("dns")), rs.getString("secret"),
				rs.getString("previous_secret"), (expires != null) ? expires.toInstant() : null,
				rs.getLong("event_cursor"), rs.getTimestamp("created_at").toInstant(),
				rs.getTimestamp("updated_at").toInstant());
	}

	// Neither event types nor DNs can contain a comma (both have strict grammars).
	private static Set<String> split(@Nullable String joined) {
		if (joined == null || joined.isEmpty()) {
			return Set.of();
		}
		return new LinkedHashSet<>(Arrays.asList(joined.split(",")));
	}

	static @Nullable Timestamp timestamp(@Nullable Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

}
