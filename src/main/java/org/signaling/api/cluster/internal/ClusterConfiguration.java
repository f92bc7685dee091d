package org.signaling.api.cluster.internal;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import org.signaling.api.cluster.ClusterProperties;
import org.signaling.api.shared.ReplicaId;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/** The leader election on the shared database (table {@code cluster_lock}, migration V9). */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

	@Bean
	LockLeadership leadership(JdbcClient jdbc, ReplicaId replica, ApplicationEventPublisher publisher,
			MeterRegistry meters) {
		return new LockLeadership(jdbc, replica, publisher, meters);
	}

	@Bean
	DefaultLockRepository leaderLockRepository(DataSource dataSource, ReplicaId replica,
			PlatformTransactionManager transactions) {
		// The lock row names the replica (not a random UUID), so an operator reading cluster_lock sees who leads.
		DefaultLockRepository repository = new DefaultLockRepository(dataSource, replica.value());
		repository.setPrefix("CLUSTER_");
		repository.setRegion(LockLeadership.REGION);
		repository.setTransactionManager(transactions);
		return repository;
	}

	@Bean
	JdbcLockRegistry leaderLocks(DefaultLockRepository repository, ClusterProperties properties) {
		JdbcLockRegistry locks = new JdbcLockRegistry(repository, properties.leaseRow());
		// A replica that does not lead asks for the lease this often (one short UPDATE, then an INSERT that fails).
		locks.setIdleBetweenTries(properties.takeoverPoll());
		return locks;
	}

	@Bean
	LockRegistryLeaderInitiator leaderInitiator(JdbcLockRegistry locks, LockLeadership leadership,
			ClusterProperties properties) {
		LockRegistryLeaderInitiator initiator = new LockRegistryLeaderInitiator(locks, leadership);
		initiator.setHeartBeatMillis(properties.renewInterval().toMillis());
		initiator.setBusyWaitMillis(properties.takeoverPoll().toMillis());
		return initiator;
	}

}
