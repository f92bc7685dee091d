package org.signaling.api.events.internal;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.signaling.api.events.Event;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.StoredEvent;
import org.signaling.api.shared.ChildSpans;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The event log in the database (table {@code event_log}; per-subject sequences in {@code event_subject}). An event
 * is committed before anyone is told about it, so a reader that resumes from a position never misses one: after the
 * commit this log tells {@link EventLogTail}, which reads the log and announces the events of every replica in order.
 */
@Component
class JdbcEventLog implements EventLog {

	private static final TypeReference<Map<String, Object>> DATA = new TypeReference<>() {
	};

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final JsonMapper json;

	private final ApplicationEventPublisher publisher;

	private final Clock clock;

	private final ChildSpans spans;

	JdbcEventLog(JdbcClient jdbc, TransactionTemplate transactions, JsonMapper json,
			ApplicationEventPublisher publisher, Clock clock) {
		this(jdbc, transactions, json, publisher, clock, ChildSpans.NONE);
	}

	/** @param spans a span per append within a trace, and the trace id the event keeps */
	@Autowired
	JdbcEventLog(JdbcClient jdbc, TransactionTemplate transactions, JsonMapper json,
			ApplicationEventPublisher publisher, Clock clock, ChildSpans spans) {
		this.spans = spans;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.json = json;
		this.publisher = publisher;
		this.clock = clock;
	}

	/**
	 * One writer at a time, from the first append until its transaction ends: positions then become visible in the
	 * order they were given, so a reader that has seen position n never finds n-1 appearing later. Per-subject
	 * sequences grow with them. This lock orders the threads of this process; the row of {@code event_log_writer}
	 * orders the replicas sharing the database (see {@link #insert}).
	 */
	private final ReentrantLock writer = new ReentrantLock();

	@Override
	public StoredEvent append(String type, String subjectType, String subject, Map<String, Object> data) {
		Span span = spans.start("event append").tag("event.type", type);
		try (Tracer.SpanInScope scope = spans.open(span)) {
			return appendInSpan(type, subjectType, subject, data);
		}
		finally {
			span.end();
		}
	}

	private StoredEvent appendInSpan(String type, String subjectType, String subject, Map<String, Object> data) {
		if (TransactionSynchronizationManager.isSynchronizationActive()
				&& TransactionSynchronizationManager.isActualTransactionActive()) {
			// The caller's change and its events commit together; they are announced once it has committed.
			List<StoredEvent> toAnnounce = joinCallersTransaction();
			StoredEvent stored = insert(type, subjectType, subject, data);
			toAnnounce.add(stored);
			return stored;
		}
		writer.lock();
		try {
			StoredEvent stored = transactions.execute((status) -> insert(type, subjectType, subject, data));
			// Committed: the tail reads and announces it (EventLogTail).
			publisher.publishEvent(new EventsCommitted(stored.position()));
			return stored;
		}
		finally {
			writer.unlock();
		}
	}

	private StoredEvent insert(String type, String subjectType, String subject, Map<String, Object> data) {
		Instant now = clock.instant();
		// The writer lock of all replicas on this database (event_log_writer's one row, locked until the transaction
		// ends; again in the same transaction costs nothing): this process's own lock orders its threads, this
		// orders the replicas.
		jdbc.sql("update event_log_writer set last_append_at = :now where id = 1")
			.param("now", Timestamp.from(now))
			.update();
		long sequence = nextSequence(subjectType, subject, now);
		Event created = new Event(newId(), type, now, subjectType, subject, sequence, data, spans.currentTraceId());
		jdbc.sql("insert into event_log (event_id, type, subject_type, subject, sequence, occurred_at, data, trace_id)"
				+ " values (:id, :type, :subjectType, :subject, :sequence, :occurredAt, :data, :traceId)")
			.param("id", created.id())
			.param("type", type)
			.param("subjectType", subjectType)
			.param("subject", subject)
			.param("sequence", sequence)
			.param("occurredAt", Timestamp.from(created.occurredAt()))
			.param("data", json.writeValueAsString(data))
			.param("traceId", created.traceId())
			.update();
		return new StoredEvent(positionOf(created.id()).orElseThrow(), created);
	}

	/**
	 * Takes the writer for the rest of the caller's transaction (once per transaction) and returns the list of its
	 * events to announce after the commit; a rollback announces nothing and frees the writer all the same.
	 */
	@SuppressWarnings("unchecked")
	private List<StoredEvent> joinCallersTransaction() {
		Object bound = TransactionSynchronizationManager.getResource(this);
		if (bound != null) {
			return (List<StoredEvent>) bound;
		}
		List<StoredEvent> toAnnounce = new ArrayList<>();
		writer.lock();
		TransactionSynchronizationManager.bindResource(this, toAnnounce);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCompletion(int status) {
				TransactionSynchronizationManager.unbindResourceIfPossible(JdbcEventLog.this);
				try {
					if (status == STATUS_COMMITTED && !toAnnounce.isEmpty()) {
						publisher.publishEvent(new EventsCommitted(toAnnounce.get(toAnnounce.size() - 1).position()));
					}
				}
				finally {
					writer.unlock();
				}
			}
		});
		return toAnnounce;
	}

	@Override
	public List<StoredEvent> after(long position, int limit) {
		return jdbc.sql("select position, event_id, type, subject_type, subject, sequence, occurred_at, data, trace_id"
				+ " from event_log where position > :position order by position fetch first :limit rows only")
			.param("position", position)
			.param("limit", limit)
			.query((rs, row) -> new StoredEvent(rs.getLong("position"), eventOf(rs)))
			.list();
	}

	private Event eventOf(ResultSet rs) throws SQLException {
		return new Event(rs.getString("event_id"), rs.getString("type"), rs.getTimestamp("occurred_at").toInstant(),
				rs.getString("subject_type"), rs.getString("subject"), rs.getLong("sequence"),
				json.readValue(rs.getString("data"), DATA), rs.getString("trace_id"));
	}

	@Override
	public Map<String, Event> latestBySubject(String subjectType) {
		return transactions.execute((status) -> {
			// The writer row, as an append takes it: an append in flight on any replica commits before this reads.
			jdbc.sql("select id from event_log_writer where id = 1 for update").query(Integer.class).single();
			Map<String, Event> latest = new HashMap<>();
			jdbc.sql("select e.event_id, e.type, e.subject_type, e.subject, e.sequence, e.occurred_at, e.data,"
					+ " e.trace_id from event_subject s join event_log e on e.subject_type = s.subject_type"
					+ " and e.subject = s.subject and e.sequence = s.last_sequence where s.subject_type = :type")
				.param("type", subjectType)
				.query((rs, row) -> eventOf(rs))
				.list()
				.forEach((event) -> latest.put(event.subject(), event));
			return latest;
		});
	}

	@Override
	public Optional<Long> positionOf(String eventId) {
		return jdbc.sql("select position from event_log where event_id = :id")
			.param("id", eventId)
			.query(Long.class)
			.optional();
	}

	@Override
	public long lastPosition() {
		return jdbc.sql("select coalesce(max(position), 0) from event_log").query(Long.class).single();
	}

	/** Deletes events older than the cutoff; a client resuming from one of them gets a reset. */
	int pruneBefore(Instant cutoff) {
		return pruneBefore(cutoff, Long.MAX_VALUE);
	}

	/** Deletes events older than the cutoff, but none after {@code keepFromPosition}. */
	int pruneBefore(Instant cutoff, long keepFromPosition) {
		return jdbc.sql("delete from event_log where occurred_at < :cutoff and position <= :keepFrom")
			.param("cutoff", Timestamp.from(cutoff))
			.param("keepFrom", keepFromPosition)
			.update();
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * A subject used after the oldest event still in the log may have events there, whatever {@code idleBefore}
	 * says (the event retention may be set longer than the history's, or the webhook outbox may hold old events):
	 * it keeps its sequence, so a sequence never repeats within the log.
	 */
	@Override
	public int forgetIdleSubjects(Instant idleBefore, int limit) {
		// Under the writer (and outside any transaction, so the delete has committed when it is freed): no transaction
		// that appended is open while subjects go. A subject deleted under one would restart at 1 with its next event
		// while the event just appended, sequence n, is in the log. The condition is also checked again on the deleted
		// rows themselves, for a writer in another process.
		writer.lock();
		try {
			Instant cutoff = jdbc.sql("select min(occurred_at) from event_log")
				.query((rs, row) -> Optional.ofNullable(rs.getTimestamp(1)))
				.single()
				.map(Timestamp::toInstant)
				.filter((oldest) -> oldest.isBefore(idleBefore))
				.orElse(idleBefore);
			// Chosen first, then deleted by key: H2 evaluates a subquery on the table a delete changes again as rows
			// go, which would make "the first n" a moving set.
			List<Object[]> idle = jdbc.sql("select subject_type, subject from event_subject"
					+ " where last_used_at < :cutoff order by last_used_at fetch first :limit rows only")
				.param("cutoff", Timestamp.from(cutoff))
				.param("limit", limit)
				.query((rs, row) -> new Object[] { rs.getString(1), rs.getString(2) })
				.list();
			if (idle.isEmpty()) {
				return 0;
			}
			return jdbc.sql("delete from event_subject where (subject_type, subject) in (:idle)"
					+ " and last_used_at < :cutoff")
				.param("idle", idle)
				.param("cutoff", Timestamp.from(cutoff))
				.update();
		}
		finally {
			writer.unlock();
		}
	}

	private long nextSequence(String subjectType, String subject, Instant now) {
		int updated = jdbc.sql("update event_subject set last_sequence = last_sequence + 1, last_used_at = :now"
				+ " where subject_type = :type and subject = :subject")
			.param("type", subjectType)
			.param("subject", subject)
			.param("now", Timestamp.from(now))
			.update();
		if (updated == 0) {
			jdbc.sql("insert into event_subject (subject_type, subject, last_sequence, last_used_at)"
					+ " values (:type, :subject, 1, :now)")
				.param("type", subjectType)
				.param("subject", subject)
				.param("now", Timestamp.from(now))
				.update();
			return 1;
		}
		return jdbc.sql("select last_sequence from event_subject where subject_type = :type and subject = :subject")
			.param("type", subjectType)
			.param("subject", subject)
			.query(Long.class)
			.single();
	}

	private static String newId() {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return "evt-" + HexFormat.of().formatHex(bytes);
	}

}
