package org.signaling.api.call.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** Every call from its start to its end (table {@code call_history}): open rows are the calls still going. */
@Repository
public class CallHistoryRepository {

	private static final String COLUMNS = "id, call_id, origin, state, from_uri, to_uri, from_dn, dns, sip_call_id,"
			+ " dialog_id, created_at, answered_at, ended_at, end_cause, duration, genesys_call_uuid";

	/** The columns of {@code call_history h}, for queries that join it. */
	private static final String H_COLUMNS = "h." + COLUMNS.replace(", ", ", h.");

	/**
	 * The width of {@code call_history_dn.dn}, that of a DN ({@link org.signaling.api.dn.DnSyntax}): a longer value is
	 * kept in {@code dns} for display but not indexed, since no filter can name it.
	 */
	private static final int MAX_INDEXED_DN = 64;

	private final JdbcClient jdbc;

	CallHistoryRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Opens a call; false when this call id was already recorded (a call id is never reused). Its DNs go into
	 * {@code call_history_dn} by the same connection, so in the caller's transaction ({@link CallLifecycle}'s) the
	 * row and its DNs commit together.
	 */
	boolean open(HistoryEntry call) {
		if (exists(call.callId())) {
			return false;
		}
		GeneratedKeyHolder key = new GeneratedKeyHolder();
		jdbc.sql("insert into call_history (call_id, origin, state, from_uri, to_uri, from_dn, dns, sip_call_id,"
				+ " dialog_id, created_at, answered_at, genesys_call_uuid) values (:callId, :origin, :state, :fromUri,"
				+ " :toUri, :fromDn, :dns, :sipCallId, :dialogId, :createdAt, :answeredAt, :genesysCallUuid)")
			.param("callId", call.callId())
			.param("origin", call.origin())
			.param("state", call.state())
			.param("fromUri", call.fromUri())
			.param("toUri", call.toUri())
			.param("fromDn", call.fromDn())
			.param("dns", "," + String.join(",", call.dns()) + ",")
			.param("sipCallId", call.sipCallId())
			.param("dialogId", call.dialogId())
			.param("createdAt", Timestamp.from(call.createdAt()))
			.param("answeredAt", timestamp(call.answeredAt()))
			.param("genesysCallUuid", call.genesysCallUuid())
			.update(key, "id");
		long historyId = key.getKeyAs(Number.class).longValue();
		for (String dn : call.dns()) {
			if (!dn.isEmpty() && dn.length() <= MAX_INDEXED_DN) {
				jdbc.sql("insert into call_history_dn (history_id, dn) values (:historyId, :dn)")
					.param("historyId", historyId)
					.param("dn", dn)
					.update();
			}
		}
		return true;
	}

	void progress(String callId, String state, @Nullable Instant answeredAt, @Nullable String dialogId,
			@Nullable String genesysCallUuid) {
		jdbc.sql("update call_history set state = :state, answered_at = coalesce(answered_at, :answeredAt),"
				+ " dialog_id = coalesce(dialog_id, :dialogId),"
				+ " genesys_call_uuid = coalesce(genesys_call_uuid, :genesysCallUuid)"
				+ " where call_id = :callId and ended_at is null")
			.param("state", state)
			.param("answeredAt", timestamp(answeredAt))
			.param("dialogId", dialogId)
			.param("genesysCallUuid", genesysCallUuid)
			.param("callId", callId)
			.update();
	}

	/** Closes a call; true only for the first close, so a call ends exactly once. */
	boolean close(String callId, Instant endedAt, String cause, long duration, @Nullable String sipCallId) {
		return jdbc.sql("update call_history set state = 'ended', ended_at = :endedAt, end_cause = :cause,"
				+ " duration = :duration, sip_call_id = coalesce(sip_call_id, :sipCallId)"
				+ " where call_id = :callId and ended_at is null")
			.param("endedAt", Timestamp.from(endedAt))
			.param("cause", cause)
			.param("duration", duration)
			.param("sipCallId", sipCallId)
			.param("callId", callId)
			.update() == 1;
	}

	List<HistoryEntry> findOpen() {
		return jdbc.sql("select " + COLUMNS + " from call_history where ended_at is null")
			.query(CallHistoryRepository::map)
			.list();
	}

	Optional<HistoryEntry> findOpen(String callId) {
		return jdbc.sql("select " + COLUMNS + " from call_history where call_id = :callId and ended_at is null")
			.param("callId", callId)
			.query(CallHistoryRepository::map)
			.optional();
	}

	/**
	 * API calls (of any replica) that ended at or after {@code since} and have no history row: calls that ended
	 * before the lifecycle saw them live. An index range on {@code api_call.ended_at}, each looked up by call id.
	 */
	List<String> apiCallsEndedUnrecordedSince(Instant since) {
		return jdbc.sql("select a.call_id from api_call a where a.ended_at >= :since"
				+ " and not exists (select 1 from call_history h where h.call_id = a.call_id)")
			.param("since", Timestamp.from(since))
			.query(String.class)
			.list();
	}

	boolean exists(String callId) {
		return jdbc.sql("select count(*) from call_history where call_id = :callId")
			.param("callId", callId)
			.query(Long.class)
			.single() > 0;
	}

	/**
	 * Ended calls, newest first, after the cursor (the row id of the last entry of the previous page). The DN filter
	 * is an exact match through {@code call_history_dn}: the index gives one DN's calls already in the page's order.
	 */
	public List<HistoryEntry> ended(@Nullable String dn, @Nullable Instant since, @Nullable Instant until,
			@Nullable String endCause, @Nullable Long before, int limit) {
		StringBuilder sql = new StringBuilder("select " + H_COLUMNS);
		var statement = new LinkedHashMap<String, Object>();
		// With a DN, the order is on d.history_id, the indexed column, and the cursor bounds both sides of the join:
		// PostgreSQL carries equalities across a join, not ranges, and a side left unbounded would make a deep page
		// read every newer row first.
		String id;
		if (dn != null) {
			sql.append(" from call_history_dn d join call_history h on h.id = d.history_id where d.dn = :dn and");
			statement.put("dn", dn);
			id = "d.history_id";
		}
		else {
			sql.append(" from call_history h where");
			id = "h.id";
		}
		sql.append(" h.ended_at is not null");
		if (since != null) {
			sql.append(" and h.ended_at >= :since");
			statement.put("since", Timestamp.from(since));
		}
		if (until != null) {
			sql.append(" and h.ended_at < :until");
			statement.put("until", Timestamp.from(until));
		}
		if (endCause != null) {
			sql.append(" and h.end_cause = :endCause");
			statement.put("endCause", endCause);
		}
		if (before != null) {
			sql.append((dn != null) ? " and d.history_id < :before and h.id < :before" : " and h.id < :before");
			statement.put("before", before);
		}
		sql.append(" order by ").append(id).append(" desc fetch first :limit rows only");
		statement.put("limit", limit);
		return jdbc.sql(sql.toString()).params(statement).query(CallHistoryRepository::map).list();
	}

	/**
	 * Deletes at most {@code limit} calls that ended before the cutoff, oldest first, with their DNs (cascade); calls
	 * still going are never deleted, however old. Bounded statements: the retention job repeats them.
	 * @return how many were deleted; fewer than {@code limit} once none is left
	 */
	int deleteEndedBefore(Instant cutoff, int limit) {
		// Chosen first, then deleted by id: H2 evaluates a subquery on the table a delete changes again as rows go,
		// which would make "the first n" a moving set.
		List<Long> ids = jdbc.sql("select id from call_history where ended_at < :cutoff order by ended_at"
				+ " fetch first :limit rows only")
			.param("cutoff", Timestamp.from(cutoff))
			.param("limit", limit)
			.query(Long.class)
			.list();
		if (ids.isEmpty()) {
			return 0;
		}
		return jdbc.sql("delete from call_history where id in (:ids) and ended_at < :cutoff")
			.param("ids", ids)
			.param("cutoff", Timestamp.from(cutoff))
			.update();
	}

	/**
	 * The calls (live or ended) the Genesys SIP Server's interaction id belongs to, newest first, at most
	 * {@code limit}: one in practice, more after a transfer through Genesys.
	 */
	public List<HistoryEntry> ofGenesysCallUuid(String genesysCallUuid, int limit) {
		return jdbc.sql("select " + COLUMNS + " from call_history where genesys_call_uuid = :uuid"
				+ " order by id desc limit :limit")
			.param("uuid", genesysCallUuid)
			.param("limit", limit)
			.query(CallHistoryRepository::map)
			.list();
	}

	private static HistoryEntry map(ResultSet rs, int row) throws SQLException {
		long duration = rs.getLong("duration");
		Long durationOrNull = rs.wasNull() ? null : duration;
		Set<String> dns = new LinkedHashSet<>(Arrays.asList(rs.getString("dns").split(",")));
		dns.remove("");
		return new HistoryEntry(rs.getLong("id"), rs.getString("call_id"), rs.getString("origin"),
				rs.getString("state"),
				rs.getString("from_uri"), rs.getString("to_uri"), rs.getString("from_dn"), dns,
				rs.getString("sip_call_id"), rs.getString("dialog_id"), rs.getTimestamp("created_at").toInstant(),
				instant(rs.getTimestamp("answered_at")), instant(rs.getTimestamp("ended_at")),
						rs.getString("end_cause"),
				durationOrNull, rs.getString("genesys_call_uuid"));
	}

	private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	/** One call of the history; {@code id} orders entries and is the pagination cursor. */
	public record HistoryEntry(long id, String callId, String origin, String state, String fromUri, String toUri,
			String fromDn, Set<String> dns, @Nullable String sipCallId, @Nullable String dialogId, Instant createdAt,
			@Nullable Instant answeredAt, @Nullable Instant endedAt, @Nullable String endCause,
			@Nullable Long duration, @Nullable String genesysCallUuid) {
	}

}
