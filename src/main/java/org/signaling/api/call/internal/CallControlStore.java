package org.signaling.api.call.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The state of each hold, recording, transfer and monitor of a call (table {@code call_control}), shared by every
 * replica. Written in the transaction that appends its event.
 */
@Repository
class CallControlStore {

	static final String HOLD = "hold";

	static final String RECORDING = "recording";

	static final String TRANSFER = "transfer";

	static final String MONITOR = "monitor";

	private static final String COLUMNS =
			"control_id, call_id, kind, state, detail, mode, extra, created_at, updated_at";

	private final JdbcClient jdbc;

	CallControlStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * One control.
	 * @param detail a transfer's destination, a monitor's supervisor DN, a recording's file, "" for a hold
	 * @param mode a transfer's ("blind", "attended") or a monitor's ("listen", "whisper", "barge")
	 * @param extra an attended transfer's target leg (Uniqueid), a recording's MixMonitorID
	 */
	record Control(String id, String callId, String kind, String state, String detail, @Nullable String mode,
			@Nullable String extra, Instant createdAt, Instant updatedAt) {

		Control with(String newState, @Nullable String newMode, @Nullable String newExtra, Instant now) {
			return new Control(id, callId, kind, newState, detail, newMode, newExtra, createdAt, now);
		}

	}

	void save(Control control) {
		int updated = jdbc.sql("update call_control set state = :state, mode = :mode, extra = :extra,"
				+ " updated_at = :updatedAt where control_id = :id")
			.param("state", control.state())
			.param("mode", control.mode())
			.param("extra", control.extra())
			.param("updatedAt", Timestamp.from(control.updatedAt()))
			.param("id", control.id())
			.update();
		if (updated == 0) {
			jdbc.sql("insert into call_control (" + COLUMNS + ") values (:id, :callId, :kind, :state, :detail, :mode,"
					+ " :extra, :createdAt, :updatedAt)")
				.param("id", control.id())
				.param("callId", control.callId())
				.param("kind", control.kind())
				.param("state", control.state())
				.param("detail", control.detail())
				.param("mode", control.mode())
				.param("extra", control.extra())
				.param("createdAt", Timestamp.from(control.createdAt()))
				.param("updatedAt", Timestamp.from(control.updatedAt()))
				.update();
		}
	}

	Optional<Control> find(String id) {
		return jdbc.sql("select " + COLUMNS + " from call_control where control_id = :id")
			.param("id", id)
			.query(CallControlStore::control)
			.optional();
	}

	/** The call's controls of one kind, newest first. */
	List<Control> ofCall(String callId, String kind) {
		return jdbc.sql("select " + COLUMNS + " from call_control where call_id = :callId and kind = :kind"
				+ " order by created_at desc")
			.param("callId", callId)
			.param("kind", kind)
			.query(CallControlStore::control)
			.list();
	}

	/** Controls of a kind in a state, oldest first (at most {@code limit}): e.g. ringing transfers to time out. */
	List<Control> inState(String kind, String state, int limit) {
		return jdbc.sql("select " + COLUMNS + " from call_control where kind = :kind and state = :state"
				+ " order by created_at fetch first :limit rows only")
			.param("kind", kind)
			.param("state", state)
			.param("limit", limit)
			.query(CallControlStore::control)
			.list();
	}

	/** Deletes at most {@code limit} controls untouched since {@code before}; the retention job repeats it. */
	int deleteUpdatedBefore(Instant before, int limit) {
		List<String> ids = jdbc.sql("select control_id from call_control where updated_at < :before"
				+ " order by updated_at fetch first :limit rows only")
			.param("before", Timestamp.from(before))
			.param("limit", limit)
			.query(String.class)
			.list();
		if (ids.isEmpty()) {
			return 0;
		}
		return jdbc.sql("delete from call_control where control_id in (:ids)").param("ids", ids).update();
	}

	private static Control control(ResultSet row, int index) throws SQLException {
		return new Control(row.getString("control_id"), row.getString("call_id"), row.getString("kind"),
				row.getString("state"), row.getString("detail"), row.getString("mode"), row.getString("extra"),
				row.getTimestamp("created_at").toInstant(), row.getTimestamp("updated_at").toInstant());
	}

}
