package org.signaling.api.cluster.internal;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.signaling.api.testsupport.PostgresProcess;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The leader election on PostgreSQL (production), same contract. */
class PostgresLeadershipIT extends LeadershipContract {

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

}
