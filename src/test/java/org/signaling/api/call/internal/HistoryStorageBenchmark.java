package org.signaling.api.call.internal;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.signaling.api.call.CallOriginator;
import org.signaling.api.call.CallsProperties;
import org.signaling.api.testsupport.FixedLeadership;
import org.signaling.api.testsupport.InMemoryEventLog;
import org.signaling.api.testsupport.MutableClock;
import org.signaling.api.testsupport.PostgresProcess;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The history's DN filter on a large history, before (V4: {@code dns like '%,dn,%'}) and after (V5/V6: the
 * {@code call_history_dn} index), and how fast the retention job deletes. {@code postgres} (a throw-away server on
 * loopback) or {@code h2} (in memory), and the number of calls. Run by {@code bench/history-storage.sh}; not a test.
 */
public final class HistoryStorageBenchmark {

	private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

	private static final int RUNS = 20;

	private HistoryStorageBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		String database = (args.length > 0) ? args[0] : "postgres";
		int calls = (args.length > 1) ? Integer.parseInt(args[1]) : 100_000;
		if (!database.equals("postgres") && !database.equals("h2") || calls < 1000 || calls > 2_000_000) {
			throw new IllegalArgumentException("usage: postgres|h2 CALLS (1000..2000000)");
		}
		PostgresProcess postgres = database.equals("postgres") ? PostgresProcess.start() : null;
		try (HikariDataSource pool = new HikariDataSource()) {
			pool.setJdbcUrl((postgres != null) ? postgres.jdbcUrl() : "jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1");
			pool.setUsername((postgres != null) ? postgres.username() : "sa");
			pool.setMaximumPoolSize(2);
			run(database, pool, calls, postgres != null);
		}
		finally {
			if (postgres != null) {
				postgres.close();
			}
		}
	}

	private static void run(String database, DataSource dataSource, int calls, boolean explain) {
		Flyway.configure().dataSource(dataSource).target("4").load().migrate();
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		fill(jdbc, calls);
		analyze(jdbc, explain);
		long deepCursor = jdbc.queryForObject("select min(id) + (max(id) - min(id)) / 2 from call_history", Long.class);
		// 7000: a queue DN in 30% of the calls; 5001: one of 50 agents (2% each); a number dialed once; a DN in none.
		String[][] cases = { { "7000", "queue DN, 30% of calls" }, { "5001", "agent DN, 2% of calls" },
				{ "9" + (calls / 2), "number in 1 call" }, { "5999", "DN in no call" } };
		System.out.printf(Locale.ROOT, "%s, %d calls%n", database, calls);
		List<String> before = new ArrayList<>();
		for (String[] dn : cases) {
			before.add(String.format(Locale.ROOT, "%-24s first page %8.2f ms, deep page %8.2f ms", dn[1],
					median(() -> likeQuery(jdbc, dn[0], null)), median(() -> likeQuery(jdbc, dn[0], deepCursor))));
		}
		if (explain) {
			System.out.println("-- before (LIKE), agent DN, first page:");
			explain(jdbc, likeSql("5001", null));
		}
		long migrationStart = System.nanoTime();
		Flyway.configure().dataSource(dataSource).load().migrate();
		double migrationSeconds = (System.nanoTime() - migrationStart) / 1e9;
		analyze(jdbc, explain);
		CallHistoryRepository history = new CallHistoryRepository(JdbcClient.create(dataSource));
		List<String> after = new ArrayList<>();
		for (String[] dn : cases) {
			after.add(String.format(Locale.ROOT, "%-24s first page %8.2f ms, deep page %8.2f ms", dn[1],
					median(() -> history.ended(dn[0], null, null, null, null, 51)),
					median(() -> history.ended(dn[0], null, null, null, deepCursor, 51))));
		}
		if (explain) {
			System.out.println("-- after (call_history_dn), agent DN, first page:");
			explain(jdbc, "select h.id, h.call_id from call_history_dn d join call_history h on h.id = d.history_id"
					+ " where d.dn = '5001' and h.ended_at is not null order by d.history_id desc"
					+ " fetch first 51 rows only");
			System.out.println("-- after (call_history_dn), queue DN, deep page:");
			explain(jdbc, "select h.id, h.call_id from call_history_dn d join call_history h on h.id = d.history_id"
					+ " where d.dn = '7000' and h.ended_at is not null and d.history_id < " + deepCursor
					+ " and h.id < " + deepCursor + " order by d.history_id desc fetch first 51 rows only");
		}
		System.out.println("before (LIKE, median of " + RUNS + "):");
		before.forEach((line) -> System.out.println("  " + line));
		System.out.println("after (call_history_dn, median of " + RUNS + "):");
		after.forEach((line) -> System.out.println("  " + line));
		System.out.printf(Locale.ROOT, "V5+V6 migration (index %d calls' DNs): %.2f s%n", calls, migrationSeconds);
		retention(jdbc, dataSource, history, calls);
	}

	private static void retention(JdbcTemplate jdbc, DataSource dataSource, CallHistoryRepository history, int calls) {
		List<Object[]> rows = new ArrayList<>();
		for (int i = 0; i < calls; i++) {
			rows.add(new Object[] { "bench-" + i, Timestamp.from(NOW.minusSeconds(calls - i + 60)),
					Timestamp.from(NOW.minusSeconds(calls - i)) });
		}
		jdbc.batchUpdate("insert into api_call (call_id, from_dn, destination, auto_answer, ring_timeout_seconds,"
				+ " status, created_at, ended_at, end_cause, idempotency_key) values (?, '5001', '1003', false, 30,"
				+ " 'ended', ?, ?, 'hangup', null)", rows);
		long dnRows = jdbc.queryForObject("select count(*) from call_history_dn", Long.class);
		MutableClock clock = new MutableClock(NOW.plus(Duration.ofDays(91)));
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		CallRetention retention = new CallRetention(new CallRepository(JdbcClient.create(dataSource)), history,
				new InMemoryEventLog(clock), new CallsProperties(Duration.ofSeconds(30), Duration.ofSeconds(120),
						Duration.ofHours(24), Duration.ofSeconds(5), Duration.ofSeconds(10),
						CallOriginator.ASTERISK, Duration.ofDays(90), Duration.ofSeconds(5)),
				clock, meters, FixedLeadership.leading());
		long start = System.nanoTime();
		long deleted = retention.purge(CallRetention.MAX_BATCHES_PER_RUN);
		double seconds = (System.nanoTime() - start) / 1e9;
		double historyRows = meters.get("signaling.retention.deleted").tag("table", "call_history").counter().count();
		double apiRows = meters.get("signaling.retention.deleted").tag("table", "api_call").counter().count();
		System.out.printf(Locale.ROOT,
				"retention: %d rows in %.2f s = %.0f rows/s (call_history %.0f with %d call_history_dn rows by cascade,"
						+ " api_call %.0f; batches of %d)%n",
				deleted, seconds, deleted / seconds, historyRows, dnRows, apiRows, CallRetention.BATCH);
		long left = jdbc.queryForObject("select count(*) from call_history", Long.class)
				+ jdbc.queryForObject("select count(*) from api_call", Long.class);
		System.out.println("rows left: " + left);
	}

	private static void fill(JdbcTemplate jdbc, int calls) {
		List<Object[]> rows = new ArrayList<>(10_000);
		for (int i = 0; i < calls; i++) {
			String agent = Integer.toString(5001 + i % 50);
			String number = "9" + i;
			String dns = (i % 10 < 3) ? "," + agent + ",7000," + number + "," : "," + agent + "," + number + ",";
			Instant ended = NOW.minusSeconds(calls - i);
			rows.add(new Object[] { "bench-" + i + "@pc33", agent, dns, Timestamp.from(ended.minusSeconds(90)),
					Timestamp.from(ended) });
			if (rows.size() == 10_000) {
				insertHistory(jdbc, rows);
				rows.clear();
			}
		}
		insertHistory(jdbc, rows);
	}

	private static void insertHistory(JdbcTemplate jdbc, List<Object[]> rows) {
		jdbc.batchUpdate("insert into call_history (call_id, origin, state, from_uri, to_uri, from_dn, dns, created_at,"
				+ " ended_at, end_cause, duration) values (?, 'kamailio', 'ended', 'sip:a@h', 'sip:b@h', ?, ?, ?, ?,"
				+ " 'hangup', 90)", rows);
	}

	private static void analyze(JdbcTemplate jdbc, boolean postgres) {
		if (postgres) {
			jdbc.execute("analyze");
		}
	}

	private static String likeSql(String dn, Long before) {
		return "select id, call_id, origin, state, from_uri, to_uri, from_dn, dns, sip_call_id, dialog_id, created_at,"
				+ " answered_at, ended_at, end_cause, duration from call_history where ended_at is not null"
				+ " and dns like '%,"
				+ dn + ",%'" + ((before != null) ? " and id < " + before : "")
				+ " order by id desc fetch first 51 rows only";
	}

	/** The query of CallHistoryRepository.ended before V5, as it was. */
	private static Object likeQuery(JdbcTemplate jdbc, String dn, Long before) {
		return jdbc.queryForList(likeSql(dn, before));
	}

	private static void explain(JdbcTemplate jdbc, String sql) {
		jdbc.queryForList("explain (analyze, buffers) " + sql, String.class)
			.forEach((line) -> System.out.println("   " + line));
	}

	private static double median(Supplier<Object> query) {
		for (int i = 0; i < 3; i++) {
			query.get();
		}
		double[] millis = new double[RUNS];
		for (int i = 0; i < RUNS; i++) {
			long start = System.nanoTime();
			query.get();
			millis[i] = (System.nanoTime() - start) / 1e6;
		}
		Arrays.sort(millis);
		return millis[RUNS / 2];
	}

}
