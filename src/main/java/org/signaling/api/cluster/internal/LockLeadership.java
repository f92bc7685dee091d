package org.signaling.api.cluster.internal;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.signaling.api.shared.Leadership;
import org.signaling.api.shared.LeadershipChanged;
import org.signaling.api.shared.NotLeaderException;
import org.signaling.api.shared.ReplicaId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.Context;
import org.springframework.integration.util.UUIDConverter;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The leadership as a lease on one row of {@code cluster_lock}. Spring Integration's
 * {@code LockRegistryLeaderInitiator} holds it through a {@code JdbcLockRegistry} lock: it renews the row while it
 * leads and, on every other replica, keeps trying to take it, which succeeds once the row's lease has lapsed.
 * <p>
 * Why this library: the replicas already share a database, and Spring Integration's JDBC lock registry is the
 * leader election Spring maintains for exactly that case. Nothing more to run (no ZooKeeper, etcd or Consul), and
 * its lease (a row with an expiry, renewed while held) is what {@code signaling.cluster.leader-lease} configures.
 * <p>
 * A change is announced ({@link LeadershipChanged}) on a thread of its own, in order: a duty that starts its term
 * from the database never delays the initiator's renewals.
 */
class LockLeadership implements Leadership, Candidate, DisposableBean {

	static final String REGION = "signaling";

	static final String LOCK = "leader";

	private static final Logger log = LoggerFactory.getLogger(LockLeadership.class);

	private final String lockKey = UUIDConverter.getUUID(LOCK).toString();

	private final JdbcClient jdbc;

	private final ReplicaId replica;

	private final ApplicationEventPublisher publisher;

	private final ExecutorService announcer = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "cluster-leadership");
		thread.setDaemon(true);
		return thread;
	});

	private volatile boolean leader;

	LockLeadership(JdbcClient jdbc, ReplicaId replica, ApplicationEventPublisher publisher, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.replica = replica;
		this.publisher = publisher;
		Gauge.builder("signaling.cluster.leader", () -> leader ? 1 : 0)
			.description("1 while this replica leads the cluster's single-writer duties")
			.register(meters);
	}

	@Override
	public boolean isLeader() {
		return leader;
	}

	@Override
	public void confirm() {
		// The lock registry judges a lease's end by this replica's clock, in UTC, without a time zone: so does this.
		Integer held = jdbc.sql("select count(*) from cluster_lock where region = :region and lock_key = :key"
				+ " and client_id = :replica and expired_after >= :now")
			.param("region", REGION)
			.param("key", lockKey)
			.param("replica", replica.value())
			.param("now", LocalDateTime.now(ZoneOffset.UTC))
			.query(Integer.class)
			.single();
		if (held == null || held == 0) {
			throw new NotLeaderException("Replica " + replica + " no longer holds the leadership");
		}
	}

	@Override
	public String getRole() {
		return LOCK;
	}

	@Override
	public String getId() {
		return replica.value();
	}

	@Override
	public void onGranted(Context context) {
		leader = true;
		log.info("Replica {} leads the cluster's duties", replica);
		announce(true);
	}

	@Override
	public void onRevoked(Context context) {
		leader = false;
		log.info("Replica {} no longer leads the cluster's duties", replica);
		announce(false);
	}

	private void announce(boolean isLeader) {
		try {
			announcer.execute(() -> publisher.publishEvent(new LeadershipChanged(isLeader)));
		}
		catch (RejectedExecutionException ex) {
			// Stopping: nothing is left to start or stop.
		}
	}

	@Override
	public void destroy() {
		announcer.shutdownNow();
	}

}
