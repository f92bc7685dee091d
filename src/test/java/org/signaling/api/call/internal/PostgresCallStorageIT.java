package org.signaling.api.call.internal;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.signaling.api.testsupport.PostgresProcess;

/** The stored calls on PostgreSQL (production), same contract. */
class PostgresCallStorageIT extends CallStorageContract {

	static PostgresProcess postgres;

	/** Pooled, as in the service: a connection per statement would make the tests that record many calls slow. */
	static HikariDataSource pool;

	@BeforeAll
	static void start() {
		postgres = PostgresProcess.start();
		pool = new HikariDataSource();
		pool.setJdbcUrl(postgres.jdbcUrl());
		pool.setUsername(postgres.username());
		pool.setMaximumPoolSize(2);
	}

	@AfterAll
	static void stop() {
		if (pool != null) {
			pool.close();
		}
		if (postgres != null) {
			postgres.close();
		}
	}

	@Override
	DataSource dataSource() {
		return pool;
	}

}
