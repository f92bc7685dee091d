package org.signaling.api.cluster.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.signaling.api.cluster.ClusterProperties;
import org.signaling.api.cluster.internal.LeadershipContract.CuttableDataSource;
import org.signaling.api.shared.LeadershipChanged;
import org.signaling.api.shared.ReplicaId;
import org.signaling.api.testsupport.PostgresProcess;
import org.springframework.context.support.StaticApplicationContext;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * How long the cluster goes without a leader: two replicas' elections (as {@link ClusterConfiguration} builds them)
 * on a throw-away PostgreSQL on loopback. Each round takes the leader away, alternately by stopping it (a deploy:
 * the lease is released) and by cutting it off from the database (a crash or a split: the lease must lapse), and
 * times from that moment to the other replica's grant; then brings the first back as the follower.
 *
 * <pre>bench/leader-failover.sh [ROUNDS] [LEASE]      default 10 rounds, 10s</pre>
 */
public final class LeaderFailoverBenchmark {

	private LeaderFailoverBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int rounds = (args.length > 0) ? Math.max(2, Math.min(40, Integer.parseInt(args[0]))) : 10;
		Duration lease = (args.length > 1) ? Duration.parse("PT" + args[1].toUpperCase()) : Duration.ofSeconds(10);
		ClusterProperties properties = new ClusterProperties(lease);
		try (PostgresProcess postgres = PostgresProcess.start()) {
			DataSource database = new DriverManagerDataSource(postgres.jdbcUrl(), postgres.username(), "");
			Flyway.configure().dataSource(database).load().migrate();
			Timed a = new Timed("a", database, properties);
			Timed b = new Timed("b", database, properties);
			a.start();
			a.granted(Duration.ofMinutes(1));
			b.start();
			List<Long> stopped = new ArrayList<>();
			List<Long> cut = new ArrayList<>();
			Timed leader = a;
			Timed follower = b;
			for (int round = 0; round < rounds; round++) {
				boolean crash = round % 2 == 1;
				long from = System.nanoTime();
				if (crash) {
					leader.database.cut();
				}
				else {
					leader.stop();
				}
				long grantedAt = follower.granted(lease.multipliedBy(3));
				(crash ? cut : stopped).add(grantedAt - from);
				// The old leader comes back as the follower.
				if (crash) {
					leader.revoked(lease.multipliedBy(3));
					leader.database.restore();
				}
				else {
					leader.start();
				}
				Timed next = follower;
				follower = leader;
				leader = next;
			}
			a.stop();
			b.stop();
			System.out.printf("leader-failover: lease %s, %d rounds%n", lease, rounds);
			report("stopped (lease released)", stopped);
			report("cut off (lease lapses)", cut);
		}
	}

	private static void report(String how, List<Long> nanos) {
		List<Long> sorted = nanos.stream().sorted().toList();
		System.out.printf("leader-failover: %s: %d takeovers, min %d ms, median %d ms, max %d ms%n", how,
				sorted.size(), sorted.get(0) / 1_000_000, sorted.get(sorted.size() / 2) / 1_000_000,
				sorted.get(sorted.size() - 1) / 1_000_000);
	}

	/** One replica's election, which notes when it was granted and revoked. */
	private static final class Timed {

		final CuttableDataSource database;

		final ReplicaId id;

		final ClusterProperties properties;

		final LinkedBlockingQueue<long[]> changes = new LinkedBlockingQueue<>();

		LockRegistryLeaderInitiator initiator;

		Timed(String name, DataSource shared, ClusterProperties properties) {
			this.database = new CuttableDataSource(shared);
			this.id = ReplicaId.forThisProcess(name);
			this.properties = properties;
		}

		void start() {
			ClusterConfiguration configuration = new ClusterConfiguration();
			LockLeadership leadership = configuration.leadership(JdbcClient.create(database), id,
					(event) -> changes.add(new long[] { ((LeadershipChanged) event).leader() ? 1 : 0,
							System.nanoTime() }),
					new SimpleMeterRegistry());
			DefaultLockRepository repository = configuration.leaderLockRepository(database, id,
					new DataSourceTransactionManager(database));
			repository.setApplicationContext(new StaticApplicationContext());
			repository.afterPropertiesSet();
			repository.afterSingletonsInstantiated();
			initiator = configuration.leaderInitiator(configuration.leaderLocks(repository, properties), leadership,
					properties);
			initiator.start();
		}

		void stop() {
			initiator.stop();
			changes.clear();
		}

		long granted(Duration bound) throws InterruptedException {
			return next(true, bound);
		}

		void revoked(Duration bound) throws InterruptedException {
			next(false, bound);
		}

		private long next(boolean leader, Duration bound) throws InterruptedException {
			long deadline = System.nanoTime() + bound.toNanos();
			while (true) {
				long[] change = changes.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				if (change == null) {
					throw new IllegalStateException(id + ": not " + (leader ? "granted" : "revoked") + " in " + bound);
				}
				if ((change[0] == 1) == leader) {
					return change[1];
				}
			}
		}

	}

}
