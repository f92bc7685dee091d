package org.signaling.api.cluster.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.cluster.ClusterProperties;
import org.signaling.api.shared.LeadershipChanged;
import org.signaling.api.shared.NotLeaderException;
import org.signaling.api.shared.ReplicaId;
import org.springframework.context.support.StaticApplicationContext;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The leader election as {@link ClusterConfiguration} builds it (Spring Integration's JDBC lock registry and leader
 * initiator, on the schema of the migrations), with two replicas sharing one database: one leads; when it stops or
 * loses its database, the other takes over; and a replica whose lease was taken commits nothing as the leader.
 */
abstract class LeadershipContract {

	static final Duration BOUND = Duration.ofSeconds(20);

	/** The shortest lease the configuration allows: a takeover is seconds, not the default ten. */
	static final ClusterProperties PROPERTIES = new ClusterProperties(Duration.ofSeconds(1));

	abstract DataSource dataSource();

	private final List<Replica> replicas = new ArrayList<>();

	@BeforeEach
	void migrate() {
		DataSource dataSource = dataSource();
		Flyway.configure().dataSource(dataSource).cleanDisabled(false).load().clean();
		Flyway.configure().dataSource(dataSource).load().migrate();
	}

	@AfterEach
	void stopReplicas() {
		replicas.forEach(Replica::stop);
	}

	@Test
	void oneOfTwoReplicasLeadsAndTheOtherTakesOverWhenItStops() {
		Replica a = replica("a");
		Replica b = replica("b");

		await().atMost(BOUND).until(() -> a.leadership.isLeader() || b.leadership.isLeader());
		Replica leader = a.leadership.isLeader() ? a : b;
		Replica other = (leader == a) ? b : a;
		assertThat(other.leadership.isLeader()).isFalse();
		assertThat(leaderInTable()).isEqualTo(leader.id.value());

		leader.stop();

		await().atMost(BOUND).until(other.leadership::isLeader);
		assertThat(leaderInTable()).isEqualTo(other.id.value());
		await().atMost(BOUND).untilAsserted(() -> assertThat(leader.changes()).containsExactly(true, false));
		await().atMost(BOUND).untilAsserted(() -> assertThat(other.changes()).containsExactly(true));
	}

	@Test
	void aLeaderThatLosesItsDatabaseStepsDownAndAnotherReplicaTakesOverOnceTheLeaseLapses() {
		Replica a = replica("a");
		await().atMost(BOUND).until(a.leadership::isLeader);
		Replica b = replica("b");

		a.database.cut();

		await().atMost(BOUND).until(() -> !a.leadership.isLeader());
		await().atMost(BOUND).until(b.leadership::isLeader);
		assertThat(leaderInTable()).isEqualTo(b.id.value());

		// Back on the database, A does not take the lease B holds.
		a.database.restore();
		assertThatThrownBy(() -> a.leadership.confirm()).isInstanceOf(NotLeaderException.class);
		await().atMost(BOUND).untilAsserted(() -> assertThat(b.changes()).containsExactly(true));
	}

	@Test
	void aReplicaWhoseLeaseWasTakenCannotConfirmItsLeadershipBeforeItNotices() {
		Replica a = replica("a");
		await().atMost(BOUND).until(a.leadership::isLeader);
		a.leadership.confirm();

		// Another replica takes the row, as it may once A's lease has lapsed (A paused, or cut off, meanwhile).
		JdbcClient.create(dataSource()).sql("update cluster_lock set client_id = 'b-00000000'").update();

		assertThatThrownBy(() -> a.leadership.confirm()).isInstanceOf(NotLeaderException.class)
			.hasMessageContaining(a.id.value());
	}

	private String leaderInTable() {
		return JdbcClient.create(dataSource()).sql("select client_id from cluster_lock").query(String.class).single();
	}

	private Replica replica(String name) {
		Replica replica = new Replica(ReplicaId.forThisProcess(name), new CuttableDataSource(dataSource()));
		replicas.add(replica);
		replica.start();
		return replica;
	}

	/** One replica's election beans, built as {@link ClusterConfiguration} builds them. */
	static final class Replica {

		final ReplicaId id;

		final CuttableDataSource database;

		final LockLeadership leadership;

		private final List<Boolean> changes = new ArrayList<>();

		private final LockRegistryLeaderInitiator initiator;

		Replica(ReplicaId id, CuttableDataSource database) {
			this.id = id;
			this.database = database;
			ClusterConfiguration configuration = new ClusterConfiguration();
			this.leadership = configuration.leadership(JdbcClient.create(database), id, (event) -> {
				synchronized (changes) {
					changes.add(((LeadershipChanged) event).leader());
				}
			}, new SimpleMeterRegistry());
			DefaultLockRepository repository = configuration.leaderLockRepository(database, id,
					new DataSourceTransactionManager(database));
			repository.setApplicationContext(new StaticApplicationContext());
			repository.afterPropertiesSet();
			repository.afterSingletonsInstantiated();
			JdbcLockRegistry locks = configuration.leaderLocks(repository, PROPERTIES);
			this.initiator = configuration.leaderInitiator(locks, leadership, PROPERTIES);
		}

		void start() {
			initiator.start();
		}

		void stop() {
			initiator.stop();
		}

		/** What was announced so far, in order (on the leadership's own thread, so a test awaits it). */
		List<Boolean> changes() {
			synchronized (changes) {
				return List.copyOf(changes);
			}
		}

	}

	/** A replica's own connections to the shared database, which a test can cut as a network split would. */
	static final class CuttableDataSource extends DelegatingDataSource {

		private volatile boolean cut;

		CuttableDataSource(DataSource target) {
			super(target);
		}

		void cut() {
			cut = true;
		}

		void restore() {
			cut = false;
		}

		@Override
		public Connection getConnection() throws SQLException {
			if (cut) {
				throw new SQLException("cut off from the database (test)", "08001");
			}
			return super.getConnection();
		}

	}

}
