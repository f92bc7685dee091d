package org.signaling.api.call.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.signaling.api.call.CallState;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Durable call records (table {@code api_call}), so a call and its Idempotency-Key survive a restart. */
@Repository
public class CallRepository {

	private static final String COLUMNS = "call_id, from_dn, destination, caller_id, auto_answer, ring_timeout_seconds,"
			+ " status, sip_call_id, dialog_id, asterisk_linkedid, channels, created_at, answered_at, ended_at,"
			+ " end_cause, hangup_cause, originator, pbx_node, traceparent";

	private final JdbcClient jdbc;

	CallRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Stores a new call, with its Idempotency-Key and request digest when it has them ({@link IdempotencyKeys}).
	 * @throws org.springframework.dao.DuplicateKeyException when the Idempotency-Key is already taken
	 */
	void insert(CallRecord call, @Nullable String idempotencyKey, @Nullable String requestDigest) {
		jdbc.sql("insert into api_call (" + COLUMNS + ", idempotency_key, request_fingerprint)"
				+ " values (:callId, :fromDn, :destination, :callerId, :autoAnswer, :ringTimeout, :status, :sipCallId,"
				+ " :dialogId, :linkedId, :channels, :createdAt, :answeredAt, :endedAt, :endCause, :hangupCause,"
				+ " :originator, :pbxNode, :traceparent, :key, :fingerprint)")
			.params(parameters(call))
			.param("key", idempotencyKey)
			.param("fingerprint", requestDigest)
			.update();
	}

	/**
	 * Stores a change of a live call. An ended call is final: the first replica to end it decides how it ended, and
	 * a replica that learns of the end later (from its own AMI events) changes nothing. A call whose hang-up the API
	 * asked for ({@link #markHangupRequested}) ends as "hangup_api", whichever replica records the end.
	 */
	void update(CallRecord call) {
		jdbc.sql("update api_call set status = :status, sip_call_id = :sipCallId, dialog_id = :dialogId,"
				+ " asterisk_linkedid = :linkedId, channels = :channels, answered_at = :answeredAt,"
				+ " ended_at = :endedAt,"
				+ " end_cause = case when hangup_requested and :status not in ('initiated', 'ringing', 'confirmed')"
				+ " then '" + EndCauses.HANGUP_API + "' else :endCause end,"
				+ " hangup_cause = :hangupCause, pbx_node = coalesce(:pbxNode, pbx_node) where call_id = :callId"
				+ " and status in ('initiated', 'ringing', 'confirmed')")
			.params(parameters(call))
			.update();
	}

	/** The API asked to hang this call up (on this replica or another): its end is "hangup_api". */
	void markHangupRequested(String callId) {
		jdbc.sql("update api_call set hangup_requested = true where call_id = :callId")
			.param("callId", callId)
			.update();
	}

	/** Frees a key, so that a request that was refused (503) can be retried with it and dial. */
	void releaseIdempotencyKey(String callId) {
		jdbc.sql("update api_call set idempotency_key = null where call_id = :callId").param("callId", callId).update();
	}

	/** Frees keys older than the replay window; returns how many. */
	int releaseIdempotencyKeysBefore(Instant cutoff) {
		return jdbc.sql("update api_call set idempotency_key = null where idempotency_key is not null"
				+ " and created_at < :cutoff")
			.param("cutoff", Timestamp.from(cutoff))
			.update();
	}

	/**
	 * Deletes at most {@code limit} calls that ended before {@code endedBefore} and were placed before
	 * {@code placedBefore}, oldest first. A live call is never deleted, however old; the second bound keeps a call
	 * whose Idempotency-Key is still within its replay window, whatever the retention. Bounded statements: the
	 * retention job repeats them.
	 * @return how many were deleted; fewer than {@code limit} once none is left
	 */
	int deleteEndedBefore(Instant endedBefore, Instant placedBefore, int limit) {
		String ended = " ended_at < :endedBefore and created_at < :placedBefore and status in ('ended', 'failed')";
		// Chosen first, then deleted by id: H2 evaluates a subquery on the table a delete changes again as rows go,
		// which would make "the first n" a moving set.
		List<String> ids = jdbc.sql("select call_id from api_call where" + ended + " order by ended_at"
				+ " fetch first :limit rows only")
			.param("endedBefore", Timestamp.from(endedBefore))
			.param("placedBefore", Timestamp.from(placedBefore))
			.param("limit", limit)
			.query(String.class)
			.list();
		if (ids.isEmpty()) {
			return 0;
		}
		return jdbc.sql("delete from api_call where call_id in (:ids) and" + ended)
			.param("ids", ids)
			.param("endedBefore", Timestamp.from(endedBefore))
			.param("placedBefore", Timestamp.from(placedBefore))
			.update();
	}

	Optional<CallRecord> find(String callId) {
		return jdbc.sql("select " + COLUMNS + " from api_call where call_id = :callId")
			.param("callId", callId)
			.query(CallRepository::map)
			.optional();
	}

	/** The call placed with this key, with the fingerprint of the request that placed it. */
	Optional<Keyed> findByIdempotencyKey(String key) {
		return jdbc.sql("select " + COLUMNS + ", request_fingerprint from api_call where idempotency_key = :key")
			.param("key", key)
			.query((rs, row) -> new Keyed(map(rs, row), rs.getString("request_fingerprint")))
			.optional();
	}

	List<CallRecord> findLive() {
		return jdbc.sql("select " + COLUMNS + " from api_call where status in ('initiated', 'ringing', 'confirmed')")
			.query(CallRepository::map)
			.list();
	}

	/** A call placed with an Idempotency-Key, and the digest of the request that placed it. */
	record Keyed(CallRecord call, String requestDigest) {
	}

	private static Map<String, Object> parameters(CallRecord call) {
		Map<String, Object> values = new HashMap<>();
		values.put("callId", call.callId());
		values.put("fromDn", call.fromDn());
		values.put("destination", call.destination());
		values.put("callerId", call.callerId());
		values.put("autoAnswer", call.autoAnswer());
		values.put("ringTimeout", call.ringTimeoutSeconds());
		values.put("status", call.status().jsonName());
		values.put("sipCallId", call.sipCallId());
		values.put("dialogId", call.dialogId());
		values.put("linkedId", call.callId());
		values.put("channels", formatLegs(call.channels()));
		values.put("createdAt", timestamp(call.createdAt()));
		values.put("answeredAt", timestamp(call.answeredAt()));
		values.put("endedAt", timestamp(call.endedAt()));
		values.put("endCause", call.endCause());
		values.put("hangupCause", call.hangupCause());
		values.put("originator", call.originator());
		values.put("pbxNode", call.pbxNode());
		values.put("traceparent", call.traceparent());
		return values;
	}

	private static CallRecord map(ResultSet rs, int row) throws SQLException {
		String channels = rs.getString("channels");
		int hangupCause = rs.getInt("hangup_cause");
		Integer cause = rs.wasNull() ? null : hangupCause;
		return new CallRecord(rs.getString("call_id"), rs.getString("from_dn"), rs.getString("destination"),
				rs.getString("caller_id"), rs.getBoolean("auto_answer"), rs.getInt("ring_timeout_seconds"),
				CallState.ofJsonName(rs.getString("status")),
				parseLegs(channels),
				rs.getString("sip_call_id"), rs.getString("dialog_id"), instant(rs.getTimestamp("created_at")),
				instant(rs.getTimestamp("answered_at")), instant(rs.getTimestamp("ended_at")),
						rs.getString("end_cause"),
				cause, rs.getString("originator"), rs.getString("pbx_node"), rs.getString("traceparent"));
	}

	/** The channels column: "name=uniqueid" per leg, comma-separated (a channel name has no comma). */
	private static String formatLegs(List<CallRecord.Leg> legs) {
		return legs.stream().map((leg) -> leg.channel() + "=" + leg.uniqueId()).collect(Collectors.joining(","));
	}

	private static List<CallRecord.Leg> parseLegs(@Nullable String column) {
		if (column == null || column.isEmpty()) {
			return List.of();
		}
		return Arrays.stream(column.split(","))
			.map((entry) -> new CallRecord.Leg(entry.substring(0, entry.lastIndexOf('=')),
					entry.substring(entry.lastIndexOf('=') + 1)))
			.toList();
	}

	private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
