package org.signaling.api.events.internal;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.events.EventAppended;
import org.signaling.api.events.StoredEvent;
import org.signaling.api.testsupport.MutableClock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the event log promises, run against each database the service supports (H2 by default, PostgreSQL in
 * production): positions in append order, per-subject sequences, the data as written, resume by id, pruning.
 */
abstract class EventLogContract {

	static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

	final MutableClock clock = new MutableClock(NOW);

	/** What the log told after its commits (the tail reads and announces from there). */
	final List<EventsCommitted> announced = new ArrayList<>();

	JdbcEventLog log;

	TransactionTemplate transactions;

	JdbcClient jdbc;

	/** A fresh, empty database. */
	abstract DataSource dataSource();

	@BeforeEach
	void migrate() {
		DataSource dataSource = dataSource();
		Flyway.configure().dataSource(dataSource).cleanDisabled(false).load().clean();
		Flyway.configure().dataSource(dataSource).load().migrate();
		jdbc = JdbcClient.create(dataSource);
		transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		log = new JdbcEventLog(jdbc, transactions, JsonMapper.builder().build(),
				(event) -> announced.add((EventsCommitted) event), clock);
	}

	@Test
	void anEmptyLogIsAtPositionZero() {
		assertThat(log.lastPosition()).isZero();
		assertThat(log.after(0, 10)).isEmpty();
	}

	@Test
	void appendsInOrderWithASequencePerSubject() {
		StoredEvent first = log.append("dn.registered", "dn", "5001", Map.of("dn", "5001"));
		StoredEvent second = log.append("dn.registered", "dn", "5002", Map.of("dn", "5002"));
		StoredEvent third = log.append("dn.busy", "dn", "5001", Map.of("dn", "5001", "active_call_count", 1));

		assertThat(List.of(first.position(), second.position(), third.position())).isSorted();
		assertThat(first.event().sequence()).isEqualTo(1);
		assertThat(second.event().sequence()).isEqualTo(1);
		assertThat(third.event().sequence()).isEqualTo(2);
		assertThat(log.lastPosition()).isEqualTo(third.position());
		assertThat(announced).extracting(EventsCommitted::lastPosition)
			.containsExactly(first.position(), second.position(), third.position());
	}

	@Test
	void readsBackWhatWasWrittenAfterAPosition() {
		StoredEvent first = log.append("call.initiated", "call", "call-1", Map.of("from", "sip:5001@x", "dns",
				List.of("5001", "1003")));
		StoredEvent second = log.append("call.ended", "call", "call-1", Map.of("end_cause", "busy", "duration", 0));

		assertThat(log.after(0, 10)).containsExactly(first, second);
		assertThat(log.after(first.position(), 10)).containsExactly(second);
		assertThat(log.after(0, 1)).containsExactly(first);
		assertThat(second.event().data()).containsEntry("end_cause", "busy");
		assertThat(log.after(0, 10).get(0).event().data().get("dns")).isEqualTo(List.of("5001", "1003"));
		assertThat(log.positionOf(second.event().id())).contains(second.position());
		assertThat(log.positionOf("evt-" + "f".repeat(32))).isEmpty();
	}

	@Test
	void prunesEventsOlderThanTheCutoffButKeepsCountingSequences() {
		log.append("dn.registered", "dn", "5001", Map.of());
		clock.advance(Duration.ofDays(8));
		StoredEvent recent = log.append("dn.busy", "dn", "5001", Map.of());

		assertThat(log.pruneBefore(NOW.plus(Duration.ofDays(1)))).isEqualTo(1);

		assertThat(log.after(0, 10)).containsExactly(recent);
		assertThat(log.append("dn.available", "dn", "5001", Map.of()).event().sequence()).isEqualTo(3);
	}

	@Test
	void neverPrunesWhatADurableReaderHasNotTakenYet() {
		StoredEvent taken = log.append("dn.registered", "dn", "5001", Map.of());
		StoredEvent notTaken = log.append("dn.busy", "dn", "5001", Map.of());
		clock.advance(Duration.ofDays(30));

		assertThat(log.pruneBefore(clock.instant(), taken.position())).isEqualTo(1);

		assertThat(log.after(0, 10)).containsExactly(notTaken);
	}

	@Test
	void forgetsSubjectsIdleSinceTheCutoffWhoseEventsAreGoneAndTheirSequenceStartsAgainAt1() {
		log.append("call.initiated", "call", "old-call", Map.of());
		log.append("dn.registered", "dn", "5001", Map.of());
		log.append("dn.busy", "dn", "5001", Map.of());
		log.append("dn.registered", "dn", "5002", Map.of());
		clock.advance(Duration.ofDays(89));
		log.append("dn.busy", "dn", "5002", Map.of());
		clock.advance(Duration.ofDays(2));
		log.pruneBefore(clock.instant().minus(Duration.ofDays(7)));

		assertThat(log.forgetIdleSubjects(clock.instant().minus(Duration.ofDays(90)), 1000)).isEqualTo(2);

		assertThat(log.append("dn.available", "dn", "5001", Map.of()).event().sequence())
			.as("a subject forgotten restarts at 1")
			.isEqualTo(1);
		assertThat(log.append("dn.available", "dn", "5002", Map.of()).event().sequence())
			.as("a subject with a recent event keeps counting")
			.isEqualTo(3);
		assertThat(subjects()).isEqualTo(2);
	}

	@Test
	void neverForgetsASubjectWhoseEventsAreStillInTheLogHoweverOld() {
		log.append("dn.registered", "dn", "5001", Map.of());
		log.append("dn.registered", "dn", "5002", Map.of());
		clock.advance(Duration.ofDays(100));
		// Not pruned: the event retention is longer, or a webhook subscriber has not taken them yet.

		assertThat(log.forgetIdleSubjects(clock.instant().minus(Duration.ofDays(90)), 1000)).isZero();

		assertThat(log.append("dn.busy", "dn", "5001", Map.of()).event().sequence()).isEqualTo(2);
	}

	@Test
	void forgetsAtMostTheLimitInOneCall() {
		for (int i = 0; i < 25; i++) {
			log.append("call.initiated", "call", "call-" + i, Map.of());
		}
		clock.advance(Duration.ofDays(91));
		log.pruneBefore(clock.instant());

		assertThat(log.forgetIdleSubjects(clock.instant().minus(Duration.ofDays(90)), 10)).isEqualTo(10);
		assertThat(log.forgetIdleSubjects(clock.instant().minus(Duration.ofDays(90)), 10)).isEqualTo(10);
		assertThat(log.forgetIdleSubjects(clock.instant().minus(Duration.ofDays(90)), 10)).isEqualTo(5);
		assertThat(subjects()).isZero();
	}

	@Test
	void aReplicasTailAnnouncesEveryReplicasEventsOnceEachInTheLogsOrder() {
		List<EventAppended> announcedOnB = new CopyOnWriteArrayList<>();
		AtomicReference<EventLogTail> tailOfB = new AtomicReference<>();
		JdbcEventLog replicaB = new JdbcEventLog(jdbc, transactions, JsonMapper.builder().build(),
				(event) -> tailOfB.get().onCommitted((EventsCommitted) event), clock);
		EventLogTail tail = new EventLogTail(replicaB, (event) -> announcedOnB.add((EventAppended) event));
		tailOfB.set(tail);
		StoredEvent before = log.append("dn.registered", "dn", "5000", Map.of("dn", "5000"));
		tail.start();
		try {
			await().until(tail::isRunning);
			// "log" is replica A: B's tail hears of its events only by reading the log
			List<StoredEvent> appended = List.of(log.append("dn.registered", "dn", "5001", Map.of("dn", "5001")),
					replicaB.append("dn.registered", "dn", "5002", Map.of("dn", "5002")),
					log.append("dn.busy", "dn", "5001", Map.of("dn", "5001")),
					replicaB.append("dn.busy", "dn", "5002", Map.of("dn", "5002")));

			await().untilAsserted(() -> assertThat(announcedOnB).extracting(EventAppended::stored)
				.as("from its start on, A's and B's, in position order, once each")
				.containsExactlyElementsOf(appended));
			assertThat(announcedOnB).extracting(EventAppended::stored).doesNotContain(before);
		}
		finally {
			tail.stop();
		}
	}

	@Test
	void anEventAppendedInTheCallersTransactionCommitsWithItsChangeAndIsAnnouncedAfterTheCommit() {
		List<Integer> announcedInside = new ArrayList<>();
		openHistoryRow();

		transactions.executeWithoutResult((status) -> {
			closeHistoryRow("call-1");
			log.append("call.ended", "call", "call-1", Map.of("end_cause", "hangup"));
			announcedInside.add(announced.size());
		});

		assertThat(announcedInside).containsExactly(0);
		assertThat(log.after(0, 10)).singleElement()
			.satisfies((stored) -> assertThat(stored.event().type()).isEqualTo("call.ended"))
			.satisfies((stored) -> assertThat(announced).extracting(EventsCommitted::lastPosition)
				.containsExactly(stored.position()));
		assertThat(endCauseOf("call-1")).isEqualTo("hangup");
	}

	@Test
	void aRolledBackChangeTakesItsEventsWithItAndFreesTheLogForOtherWriters() throws Exception {
		openHistoryRow();
		try {
			transactions.executeWithoutResult((status) -> {
				closeHistoryRow("call-1");
				log.append("call.ended", "call", "call-1", Map.of("end_cause", "hangup"));
				throw new IllegalStateException("the database went away before the commit");
			});
		}
		catch (IllegalStateException expected) {
			// the caller retries later
		}

		assertThat(log.after(0, 10)).isEmpty();
		assertThat(announced).isEmpty();
		assertThat(endCauseOf("call-1")).isNull();
		// Another thread can append: the writer was released by the rollback.
		Thread other = new Thread(() -> log.append("dn.busy", "dn", "5001", Map.of()));
		other.start();
		other.join(10_000);
		assertThat(log.after(0, 10)).singleElement()
			.satisfies((stored) -> assertThat(stored.event().sequence()).isEqualTo(1));
	}

	private long subjects() {
		return jdbc.sql("select count(*) from event_subject").query(Long.class).single();
	}

	private void closeHistoryRow(String callId) {
		jdbc.sql("update call_history set end_cause = 'hangup', ended_at = :now where call_id = :id")
			.param("now", Timestamp.from(NOW))
			.param("id", callId)
			.update();
	}

	private String endCauseOf(String callId) {
		return jdbc.sql("select end_cause from call_history where call_id = :id")
			.param("id", callId)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	private void openHistoryRow() {
		jdbc.sql("insert into call_history (call_id, origin, state, from_uri, to_uri, from_dn, dns, created_at)"
				+ " values ('call-1', 'kamailio', 'answered', 'sip:5001@x', 'sip:5002@x', '5001', ',5001,5002,', :now)")
			.param("now", Timestamp.from(NOW))
			.update();
	}

}
