package org.signaling.api.call.internal;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.call.CallOriginator;
import org.signaling.api.call.CallState;
import org.signaling.api.call.CallsProperties;
import org.signaling.api.call.MakeCallCommand;
import org.signaling.api.events.EventLog;
import org.signaling.api.testsupport.FixedLeadership;
import org.signaling.api.testsupport.MutableClock;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * What the stored calls promise, on each database the service supports (H2 by default, PostgreSQL in production):
 * the history's DN filter is an exact, indexed match, and calls older than the history retention go, in batches,
 * while live calls, recent ones and Idempotency-Keys within their window stay.
 */
abstract class CallStorageContract {

	static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

	static final Duration RETENTION = Duration.ofDays(90);

	final MutableClock clock = new MutableClock(NOW);

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	final EventLog events = mock(EventLog.class);

	DataSource dataSource;

	JdbcClient jdbc;

	CallRepository calls;

	CallHistoryRepository history;

	TransactionTemplate transactions;

	/** A fresh, empty database. */
	abstract DataSource dataSource();

	@BeforeEach
	void migrate() {
		dataSource = dataSource();
		Flyway.configure().dataSource(dataSource).cleanDisabled(false).load().clean();
		Flyway.configure().dataSource(dataSource).load().migrate();
		jdbc = JdbcClient.create(dataSource);
		calls = new CallRepository(jdbc);
		history = new CallHistoryRepository(jdbc);
		transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
	}

	@Test
	void theDnFilterIsAnExactMatchInWhichUnderscoreAndPercentAreNoWildcards() {
		endedCall("c1@pc33", NOW.minusSeconds(60), "a_1", "5002");
		endedCall("c2@pc33", NOW.minusSeconds(50), "a91", "5003");
		endedCall("c3@pc33", NOW.minusSeconds(40), "5001", "5004");

		assertThat(callIds(history.ended("a_1", null, null, null, null, 10))).containsExactly("c1@pc33");
		assertThat(callIds(history.ended("a91", null, null, null, null, 10))).containsExactly("c2@pc33");
		assertThat(history.ended("%", null, null, null, null, 10)).isEmpty();
		assertThat(history.ended("a%", null, null, null, null, 10)).isEmpty();
		assertThat(history.ended("_", null, null, null, null, 10)).isEmpty();
		assertThat(history.ended("500", null, null, null, null, 10)).as("no prefix match").isEmpty();
		assertThat(callIds(history.ended(null, null, null, null, null, 10))).containsExactly("c3@pc33", "c2@pc33",
				"c1@pc33");
	}

	@Test
	void aDnInManyCallsIsFoundPageByPageNewestFirstWithTheOtherFilters() {
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < 400; i++) {
			String callId = "many-" + i + "@pc33";
			boolean withAgent = i % 2 == 0;
			endedCall(callId, NOW.minusSeconds(1000 - i), withAgent ? "5001" : "5002", "1" + i);
			if (withAgent) {
				expected.add(0, callId);
			}
		}

		List<String> found = new ArrayList<>();
		Long cursor = null;
		for (int page = 0; page < 10; page++) {
			List<CallHistoryRepository.HistoryEntry> entries = history.ended("5001", null, null, "hangup", cursor, 60);
			entries.forEach((entry) -> found.add(entry.callId()));
			if (entries.size() < 60) {
				break;
			}
			cursor = entries.get(entries.size() - 1).id();
		}

		assertThat(found).containsExactlyElementsOf(expected);
		assertThat(history.ended("5001", null, null, "busy", null, 10)).isEmpty();
		assertThat(callIds(history.ended("5001", NOW.minusSeconds(1000 - 396), null, null, null, 10)))
			.containsExactly("many-398@pc33", "many-396@pc33");
		assertThat(history.ended("5001", null, null, null, null, 1)).singleElement()
			.satisfies((entry) -> assertThat(entry.dns()).containsExactly("5001", "1398"));
	}

	@Test
	void aCallsDnsAreRecordedAndRolledBackWithItsRow() {
		assertThatThrownBy(() -> transactions.executeWithoutResult((status) -> {
			history.open(entry("rolled-back@pc33", NOW, "5001", "5002"));
			throw new IllegalStateException("the event append failed");
		})).isInstanceOf(IllegalStateException.class);

		assertThat(count("call_history")).isZero();
		assertThat(count("call_history_dn")).isZero();

		transactions.executeWithoutResult((status) -> history.open(entry("kept@pc33", NOW, "5001", "5002")));
		history.close("kept@pc33", NOW.plusSeconds(5), "hangup", 5, null);

		assertThat(count("call_history_dn")).isEqualTo(2);
		assertThat(callIds(history.ended("5002", null, null, null, null, 10))).containsExactly("kept@pc33");
	}

	@Test
	void retentionDeletesEndedCallsOlderThanItAndNeverALiveOrRecentOne() {
		endedCall("old@pc33", NOW.minus(RETENTION).minusSeconds(1), "5001", "5002");
		endedCall("recent@pc33", NOW.minus(RETENTION).plusSeconds(60), "5001", "5003");
		history.open(entry("still-going@pc33", NOW.minus(Duration.ofDays(200)), "5001", "5004"));
		String oldCall = apiCall("call-000000000000000000000000000000a1", "old-key",
				NOW.minus(RETENTION).minusSeconds(60), NOW.minus(RETENTION).minusSeconds(1));
		String recentCall = apiCall("call-000000000000000000000000000000a2", null, NOW.minus(RETENTION),
				NOW.minus(RETENTION).plusSeconds(60));
		CallRecord live = CallRecord
			.initiated("call-000000000000000000000000000000a3", command(), NOW.minus(Duration.ofDays(200)),
					CallOriginator.ASTERISK)
			.withStatus(CallState.CONFIRMED);
		calls.insert(live, null, "f");

		long deleted = retention(RETENTION).purge(CallRetention.MAX_BATCHES_PER_RUN);

		assertThat(deleted).isEqualTo(2);
		assertThat(callIds(history.ended(null, null, null, null, null, 10))).containsExactly("recent@pc33");
		assertThat(history.findOpen("still-going@pc33")).isPresent();
		assertThat(history.ended("5002", null, null, null, null, 10)).isEmpty();
		assertThat(count("call_history_dn")).as("only the DNs of the calls kept").isEqualTo(4);
		assertThat(calls.find(oldCall)).isEmpty();
		assertThat(calls.find(recentCall)).isPresent();
		assertThat(calls.find(live.callId())).isPresent();
		assertThat(calls.findLive()).extracting(CallRecord::callId).containsExactly(live.callId());
		assertThat(deletedCount("call_history")).isEqualTo(1);
		assertThat(deletedCount("api_call")).isEqualTo(1);
	}

	@Test
	void anIdempotencyKeyWithinItsReplayWindowKeepsItsCallWhateverTheRetention() {
		String withinWindow = apiCall("call-000000000000000000000000000000b1", "retry-me",
				NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofHours(2)));
		String pastWindow = apiCall("call-000000000000000000000000000000b2", null, NOW.minus(Duration.ofHours(30)),
				NOW.minus(Duration.ofHours(29)));

		retention(Duration.ofHours(1)).purge(CallRetention.MAX_BATCHES_PER_RUN);

		assertThat(calls.findByIdempotencyKey("retry-me")).get()
			.satisfies((keyed) -> assertThat(keyed.call().callId()).isEqualTo(withinWindow));
		assertThat(calls.find(pastWindow)).isEmpty();
	}

	@Test
	void retentionDeletesInBatchesUntilNothingOldIsLeftAndAtMostABoundPerRun() {
		int old = 2 * CallRetention.BATCH + 500;
		Instant longAgo = NOW.minus(RETENTION).minus(Duration.ofDays(1));
		bulkHistory("old", old, longAgo);
		bulkHistory("recent", 10, NOW.minus(Duration.ofDays(1)));
		bulkApiCalls("old", old, longAgo);
		bulkApiCalls("recent", 10, NOW.minus(Duration.ofDays(1)));
		CallRetention retention = retention(RETENTION);

		assertThat(retention.purge(1)).as("one batch per table in a run bounded to one")
			.isEqualTo(2 * CallRetention.BATCH);
		assertThat(count("call_history")).isEqualTo(old + 10 - CallRetention.BATCH);

		retention.purge(CallRetention.MAX_BATCHES_PER_RUN);

		assertThat(count("call_history")).isEqualTo(10);
		assertThat(count("api_call")).isEqualTo(10);
		assertThat(count("call_history_dn")).isEqualTo(10);
		assertThat(history.ended("5001", null, null, null, null, 100)).hasSize(10)
			.allSatisfy((entry) -> assertThat(entry.callId()).startsWith("recent-"));
		assertThat(deletedCount("call_history")).isEqualTo(old);
		assertThat(deletedCount("api_call")).isEqualTo(old);
	}

	@Test
	void retentionForgetsEventSubjectsIdleForAsLongInBatches() {
		given(events.forgetIdleSubjects(eq(NOW.minus(RETENTION)), anyInt())).willReturn(CallRetention.BATCH,
				CallRetention.BATCH, 17);

		retention(RETENTION).purge(CallRetention.MAX_BATCHES_PER_RUN);

		verify(events, times(3)).forgetIdleSubjects(NOW.minus(RETENTION), CallRetention.BATCH);
		assertThat(deletedCount("event_subject")).isEqualTo(2 * CallRetention.BATCH + 17);
	}

	@Test
	void aFailingTableIsLeftToTheNextRunAndTheOthersAreStillPurged() {
		given(events.forgetIdleSubjects(eq(NOW.minus(RETENTION)), anyInt()))
			.willThrow(new DataAccessResourceFailureException("injected"));
		endedCall("old@pc33", NOW.minus(RETENTION).minusSeconds(1), "5001", "5002");

		assertThat(retention(RETENTION).purge(CallRetention.MAX_BATCHES_PER_RUN)).isEqualTo(1);
		assertThat(count("call_history")).isZero();
	}

	@Test
	void theMigrationIndexesTheDnsOfCallsRecordedBeforeIt() {
		Flyway.configure().dataSource(dataSource).cleanDisabled(false).load().clean();
		Flyway.configure().dataSource(dataSource).target("4").load().migrate();
		JdbcTemplate old = new JdbcTemplate(dataSource);
		String insert = "insert into call_history (call_id, origin, state, from_uri, to_uri, from_dn, dns, created_at,"
				+ " ended_at, end_cause, duration) values (?, 'kamailio', 'ended', 'sip:x@h', 'sip:y@h', ?, ?, ?, ?,"
				+ " 'hangup', 0)";
		Timestamp at = Timestamp.from(NOW);
		old.update(insert, "v4-1@pc33", "a_1", ",a_1,5002,", at, at);
		old.update(insert, "v4-2@pc33", "a91", ",a91,5003,", at, at);
		// Written before values from SIP were bounded: the long value is no DN and is left out, the rest is indexed.
		old.update(insert, "v4-3@pc33", "5004", ",5004," + "9".repeat(200) + ",5002,", at, at);
		old.update("insert into event_subject (subject_type, subject, last_sequence) values ('dn', '5001', 7)");

		Flyway.configure().dataSource(dataSource).load().migrate();

		assertThat(count("call_history_dn")).isEqualTo(6);
		assertThat(callIds(history.ended("a_1", null, null, null, null, 10))).containsExactly("v4-1@pc33");
		assertThat(callIds(history.ended("5002", null, null, null, null, 10))).containsExactly("v4-3@pc33",
				"v4-1@pc33");
		assertThat(history.ended("a91", null, null, null, null, 10)).singleElement()
			.satisfies((entry) -> assertThat(entry.dns()).containsExactly("a91", "5003"));
		assertThat(jdbc.sql("select count(*) from event_subject where last_used_at is not null")
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	private CallRetention retention(Duration retention) {
		CallsProperties properties = new CallsProperties(Duration.ofSeconds(30), Duration.ofSeconds(120),
				Duration.ofHours(24), Duration.ofSeconds(5), Duration.ofSeconds(10), CallOriginator.ASTERISK,
				retention, Duration.ofSeconds(5));
		return new CallRetention(calls, history, events, properties, clock, meters, FixedLeadership.leading());
	}

	private double deletedCount(String table) {
		return meters.get("signaling.retention.deleted").tag("table", table).counter().count();
	}

	private void endedCall(String callId, Instant endedAt, String... dns) {
		history.open(entry(callId, endedAt.minusSeconds(30), dns));
		history.close(callId, endedAt, "hangup", 30, null);
	}

	private static CallHistoryRepository.HistoryEntry entry(String callId, Instant createdAt, String... dns) {
		return new CallHistoryRepository.HistoryEntry(0, callId, "kamailio", "answered", "sip:" + dns[0] + "@pc33",
				"sip:" + dns[1] + "@pc33", dns[0], new LinkedHashSet<>(List.of(dns)), null, null, createdAt,
				null, null, null, null, null);
	}

	private String apiCall(String callId, String key, Instant createdAt, Instant endedAt) {
		CallRecord call = CallRecord.initiated(callId, command(), createdAt, CallOriginator.ASTERISK);
		calls.insert(call, key, "f");
		calls.update(call.ended(CallState.FAILED, "no_answer", 19, endedAt));
		return callId;
	}

	private static MakeCallCommand command() {
		return new MakeCallCommand("5001", "1003", null, false, Duration.ofSeconds(30));
	}

	private void bulkHistory(String prefix, int rows, Instant endedAt) {
		List<Object[]> values = new ArrayList<>();
		for (int i = 0; i < rows; i++) {
			values.add(new Object[] { prefix + "-" + i + "@pc33", Timestamp.from(endedAt.minusSeconds(60)),
					Timestamp.from(endedAt) });
		}
		new JdbcTemplate(dataSource).batchUpdate("insert into call_history (call_id, origin, state, from_uri, to_uri,"
				+ " from_dn, dns, created_at, ended_at, end_cause, duration) values (?, 'kamailio', 'ended',"
				+ " 'sip:5001@h', 'sip:5002@h', '5001', ',5001,', ?, ?, 'hangup', 60)", values);
		jdbc.sql("insert into call_history_dn (history_id, dn) select id, '5001' from call_history"
					+ " where call_id like :p")
			.param("p", prefix + "-%")
			.update();
	}

	private void bulkApiCalls(String prefix, int rows, Instant endedAt) {
		List<Object[]> values = new ArrayList<>();
		for (int i = 0; i < rows; i++) {
			values.add(new Object[] { prefix + "-" + i, Timestamp.from(endedAt.minusSeconds(60)),
					Timestamp.from(endedAt) });
		}
		new JdbcTemplate(dataSource).batchUpdate("insert into api_call (call_id, from_dn, destination, auto_answer,"
				+ " ring_timeout_seconds, status, created_at, ended_at, end_cause) values (?, '5001', '1003', false,"
				+ " 30, 'ended', ?, ?, 'hangup')", values);
	}

	private long count(String table) {
		return jdbc.sql("select count(*) from " + table).query(Long.class).single();
	}

	private static List<String> callIds(List<CallHistoryRepository.HistoryEntry> entries) {
		return entries.stream().map(CallHistoryRepository.HistoryEntry::callId).toList();
	}

}
