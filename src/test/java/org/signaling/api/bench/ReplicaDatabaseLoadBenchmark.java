package org.signaling.api.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.signaling.api.testsupport.KamailioProcess;
import org.signaling.api.testsupport.LiveService;
import org.signaling.api.testsupport.PostgresProcess;
import org.signaling.api.testsupport.ServiceReplica;
import org.signaling.api.testsupport.Sipp;
import org.signaling.api.testsupport.TestCredentials;
import org.signaling.api.testsupport.TestTls;
import org.signaling.api.testsupport.ami.AmiServerDouble;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.awaitility.Awaitility.await;

/**
 * The database load replicas put on PostgreSQL: transactions a second (PostgreSQL's own count, pg_stat_database) over
 * a window, with one replica idle, one replica under SIPp calls at RATE a second (each held 1 s), and two replicas
 * idle. Everything on loopback: a throw-away PostgreSQL, a real Kamailio, the AMI double.
 *
 * <pre>bench/replica-db-load.sh [SECONDS] [RATE]      default 30 s, 20 calls/s</pre>
 */
public final class ReplicaDatabaseLoadBenchmark {

	private ReplicaDatabaseLoadBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int seconds = (args.length > 0) ? Math.max(5, Math.min(300, Integer.parseInt(args[0]))) : 30;
		int rate = (args.length > 1) ? Math.max(1, Math.min(100, Integer.parseInt(args[1]))) : 20;
		TestTls tls = TestTls.create();
		try (PostgresProcess postgres = PostgresProcess.start();
				KamailioProcess kamailio = KamailioProcess.start("127.0.0.1:9");
				AmiServerDouble asterisk = LiveService.startAsterisk();
				Sipp sipp = new Sipp(kamailio)) {
			JdbcClient stats = JdbcClient.create(new DriverManagerDataSource(postgres.jdbcUrl(), postgres.username(),
					""));
			ConfigurableApplicationContext first = ServiceReplica.start(tls, postgres, kamailio, asterisk, Map.of());
			try (Sipp.Agent agent = sipp.agentUas("5009")) {
				await().atMost(Duration.ofSeconds(30)).until(() -> "available".equals(
						ServiceReplica.api(first, tls).get("/api/dn/5009").json().path("status").asString()));
				report("one replica, idle", perSecond(stats, seconds, null));
				TestCredentials.SipCredentials caller = TestCredentials.sipCredentials("5010");
				List<String> burst = List.of("-m", Integer.toString(rate * seconds), "-r", Integer.toString(rate),
						"-l", Integer.toString(rate * 5), "-s", "5009", "-d", "1000", "-key", "dn", "5010", "-au",
						caller.username(), "-ap", caller.password());
				report("one replica, " + rate + " calls/s", perSecond(stats, seconds,
						() -> sipp.run("load", "uac-hangup.xml", burst)));
			}
			ConfigurableApplicationContext second = ServiceReplica.start(tls, postgres, kamailio, asterisk,
					Map.of());
			report("two replicas, idle", perSecond(stats, seconds, null));
			second.close();
			first.close();
		}
	}

	/**
	 * Transactions a second in the database over the window (after a settling pause), with {@code load} running. The
	 * window is wall-clock time by definition, hence the sleeps: there is nothing to wait for but time.
	 */
	private static double perSecond(JdbcClient stats, int seconds, AutoCloseableLoad load) throws Exception {
		Thread.sleep(3_000);
		AutoCloseable running = (load != null) ? load.start() : () -> {
		};
		try (running) {
			Thread.sleep(2_000);
			long before = transactions(stats);
			long started = System.nanoTime();
			Thread.sleep(seconds * 1_000L);
			long after = transactions(stats);
			return (after - before) / ((System.nanoTime() - started) / 1e9);
		}
	}

	private static long transactions(JdbcClient stats) {
		return stats.sql("select sum(xact_commit + xact_rollback) from pg_stat_database"
				+ " where datname = current_database()")
			.query(Long.class)
			.single();
	}

	private static void report(String what, double perSecond) {
		System.out.printf("db-load: %s: %.1f transactions/s%n", what, perSecond);
	}

	/** A load that runs until closed. */
	private interface AutoCloseableLoad {

		AutoCloseable start() throws Exception;

	}

}
