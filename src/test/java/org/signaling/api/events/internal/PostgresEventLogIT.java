package org.signaling.api.events.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.signaling.api.events.EventAppended;
import org.signaling.api.events.StoredEvent;
import org.signaling.api.testsupport.PostgresProcess;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The event log on PostgreSQL (production), same contract; and two replicas appending to one database. */
class PostgresEventLogIT extends EventLogContract {

	static PostgresProcess postgres;

	@BeforeAll
	static void start() {
		postgres = PostgresProcess.start();
	}

	@AfterAll
	static void stop() {
		postgres.close();
	}

	@Override
	DataSource dataSource() {
		return new DriverManagerDataSource(postgres.jdbcUrl(), postgres.username(), "");
	}

	/**
	 * Replica A appends inside a transaction it has not committed yet; replica B appends meanwhile. B must wait for
	 * A: had B committed first, its event would be visible at a position after A's uncommitted one, and a reader that
	 * saw it (an event stream on any replica, the webhook fan-out) would move past A's event for good.
	 */
	@Test
	void aReplicaCannotCommitAnEventPastOneAnotherReplicaHasNotCommittedYet() throws Exception {
		DataSource dataSource = dataSource();
		JdbcEventLog replicaA = replica(dataSource);
		JdbcEventLog replicaB = replica(dataSource);
		TransactionTemplate transactionOfA = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		CountDownLatch appendedByA = new CountDownLatch(1);
		CountDownLatch commitA = new CountDownLatch(1);
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			Future<?> a = threads.submit(() -> transactionOfA.executeWithoutResult((status) -> {
				replicaA.append("call.initiated", "call", "call-a", Map.of("call_id", "call-a"));
				appendedByA.countDown();
				awaitQuietly(commitA);
			}));
			assertThat(appendedByA.await(10, TimeUnit.SECONDS)).isTrue();

			// what B's append returns and what a reader sees right after it
			Future<List<StoredEvent>> b = threads.submit(() -> {
				replicaB.append("call.initiated", "call", "call-b", Map.of("call_id", "call-b"));
				return replicaB.after(0, 10);
			});
			await("B done, or B waiting for A's lock").atMost(Duration.ofSeconds(10))
				.until(() -> b.isDone() || waitingForALock(dataSource));
			commitA.countDown();
			a.get(10, TimeUnit.SECONDS);

			assertThat(b.get(10, TimeUnit.SECONDS)).extracting((stored) -> stored.event().subject())
				.as("B's event became visible after A's, never before it").containsExactly("call-a", "call-b");
		}
		finally {
			commitA.countDown();
			threads.shutdownNow();
		}
	}

	/**
	 * Replica B's tail polls once an hour here: it hears of replica A's events only through PostgreSQL's
	 * LISTEN/NOTIFY, as soon as A has committed them.
	 */
	@Test
	void anotherReplicasCommitWakesThisReplicasTailThroughListenNotify() {
		DataSource dataSource = dataSource();
		List<EventAppended> announcedOnB = new CopyOnWriteArrayList<>();
		AtomicReference<EventLogTail> tailOfB = new AtomicReference<>();
		JdbcEventLog replicaB = new JdbcEventLog(JdbcClient.create(dataSource),
				new TransactionTemplate(new DataSourceTransactionManager(dataSource)), JsonMapper.builder().build(),
				(event) -> tailOfB.get().onCommitted((EventsCommitted) event), clock);
		EventLogTail tail = new EventLogTail(replicaB, (event) -> announcedOnB.add((EventAppended) event),
				Duration.ofHours(1));
		tailOfB.set(tail);
		EventLogWakeUps wakeUpsOfB = new EventLogWakeUps(dataSource, tail);
		AtomicReference<EventLogWakeUps> wakeUpsOfA = new AtomicReference<>();
		JdbcEventLog replicaA = new JdbcEventLog(JdbcClient.create(dataSource),
				new TransactionTemplate(new DataSourceTransactionManager(dataSource)), JsonMapper.builder().build(),
				(event) -> wakeUpsOfA.get().onCommitted((EventsCommitted) event), clock);
		wakeUpsOfA.set(new EventLogWakeUps(dataSource, new EventLogTail(replicaA, (event) -> {
		})));
		tail.start();
		wakeUpsOfB.start();
		wakeUpsOfA.get().start();
		try {
			await("B listening").until(() -> listeners(dataSource) >= 2);
			StoredEvent first = replicaA.append("dn.registered", "dn", "5001", Map.of("dn", "5001"));
			await().untilAsserted(() -> assertThat(announcedOnB).extracting(EventAppended::stored).contains(first));

			// B's listener has woken its tail once since it listens; only A's NOTIFY can wake it now
			StoredEvent second = replicaA.append("dn.busy", "dn", "5001", Map.of("dn", "5001"));

			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(announcedOnB)
				.extracting(EventAppended::stored).containsExactly(first, second));
		}
		finally {
			wakeUpsOfA.get().stop();
			wakeUpsOfB.stop();
			tail.stop();
		}
	}

	private static long listeners(DataSource dataSource) {
		return JdbcClient.create(dataSource)
			.sql("select count(*) from pg_stat_activity where query = 'LISTEN " + EventLogWakeUps.CHANNEL + "'")
			.query(Long.class)
			.single();
	}

	/** Another process on the same database: its own in-process lock, its own connections. */
	private JdbcEventLog replica(DataSource dataSource) {
		return new JdbcEventLog(JdbcClient.create(dataSource),
				new TransactionTemplate(new DataSourceTransactionManager(dataSource)), JsonMapper.builder().build(),
				(event) -> {
				}, clock);
	}

	private static boolean waitingForALock(DataSource dataSource) {
		return JdbcClient.create(dataSource)
			.sql("select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
					+ " and datname = current_database()")
			.query(Long.class)
			.single() > 0;
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
