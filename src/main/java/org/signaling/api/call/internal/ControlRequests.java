package org.signaling.api.call.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.signaling.api.call.InvalidCallRequestException;
import org.signaling.api.shared.ProblemType;
import org.signaling.api.shared.Problems;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Idempotency-Key of call control requests (table {@code call_control_request}): the key is claimed before the
 * action reaches Asterisk, so two requests with it never both act; the answer is kept and replayed within
 * {@code signaling.calls.idempotency-window}. A request that fails frees its key for a retry.
 */
@Component
public class ControlRequests {

	private final JdbcClient jdbc;

	private final IdempotencyKeys keys;

	private final JsonMapper json;

	private final Clock clock;

	ControlRequests(JdbcClient jdbc, IdempotencyKeys keys, JsonMapper json, Clock clock) {
		this.jdbc = jdbc;
		this.keys = keys;
		this.json = json;
		this.clock = clock;
	}

	/**
	 * An answer, and whether it is the replay of an earlier request's.
	 */
	public record Answer<T>(T value, boolean replayed) {
	}

	/**
	 * Runs {@code action} once per key.
	 * @param header the request's Idempotency-Key; null runs the action as it is
	 * @param fingerprint what the request asks (operation, call and values)
	 * @throws InvalidCallRequestException 400 for a malformed key, 422 for a key used with another request
	 * @throws org.springframework.web.ErrorResponseException 409 while a request with the key is still running
	 */
	public <T> Answer<T> once(@Nullable String header, String fingerprint, Class<T> type, Supplier<T> action) {
		IdempotencyKeys.Key key = keys.ofControl(header, fingerprint);
		if (key == null) {
			return new Answer<>(action.get(), false);
		}
		Optional<Answer<T>> earlier = claim(key, type);
		if (earlier.isPresent()) {
			return earlier.get();
		}
		T value;
		try {
			value = action.get();
		}
		catch (RuntimeException ex) {
			jdbc.sql("delete from call_control_request where key_digest = :key").param("key", key.value()).update();
			throw ex;
		}
		jdbc.sql("update call_control_request set answer = :answer where key_digest = :key")
			.param("answer", json.writeValueAsString(value))
			.param("key", key.value())
			.update();
		return new Answer<>(value, false);
	}

	/** Claims the key; an earlier answer when it was already used for this request. */
	private <T> Optional<Answer<T>> claim(IdempotencyKeys.Key key, Class<T> type) {
		Instant now = clock.instant();
		for (int attempt = 0; attempt < 2; attempt++) {
			try {
				jdbc.sql("insert into call_control_request (key_digest, request_digest, answer, created_at)"
						+ " values (:key, :request, null, :now)")
					.param("key", key.value())
					.param("request", key.requestDigest())
					.param("now", Timestamp.from(now))
					.update();
				return Optional.empty();
			}
			catch (DuplicateKeyException ex) {
				Optional<Claimed> claimed = jdbc
					.sql("select request_digest, answer, created_at from call_control_request where key_digest = :key")
					.param("key", key.value())
					.query((row, index) -> new Claimed(row.getString(1), row.getString(2),
							row.getTimestamp(3).toInstant()))
					.optional();
				if (claimed.isEmpty()) {
					continue;
				}
				if (claimed.get().createdAt().isBefore(now.minus(keys.window()))) {
					// Past its window: the key is free again.
					jdbc.sql("delete from call_control_request where key_digest = :key")
						.param("key", key.value())
						.update();
					continue;
				}
				if (!claimed.get().requestDigest().equals(key.requestDigest())) {
					throw InvalidCallRequestException.idempotencyConflict(
							"Idempotency-Key already used for a different request");
				}
				if (claimed.get().answer() == null) {
					throw Problems.exception(ProblemType.CALL_CONTROL_CONFLICT,
							"A request with this Idempotency-Key is still in progress");
				}
				return Optional.of(new Answer<>(json.readValue(claimed.get().answer(), type), true));
			}
		}
		throw Problems.exception(ProblemType.CALL_CONTROL_CONFLICT,
				"A request with this Idempotency-Key is still in progress");
	}

	/** Deletes at most {@code limit} keys claimed before {@code before}; the retention job repeats it. */
	int deleteCreatedBefore(Instant before, int limit) {
		// Chosen first, then deleted by key, as CallRepository does (H2 and a subquery on the table a delete changes)
		List<String> keys = jdbc.sql("select key_digest from call_control_request where created_at < :before"
				+ " order by created_at fetch first :limit rows only")
			.param("before", Timestamp.from(before))
			.param("limit", limit)
			.query(String.class)
			.list();
		if (keys.isEmpty()) {
			return 0;
		}
		return jdbc.sql("delete from call_control_request where key_digest in (:keys)").param("keys", keys).update();
	}

	private record Claimed(String requestDigest, @Nullable String answer, Instant createdAt) {
	}

}
