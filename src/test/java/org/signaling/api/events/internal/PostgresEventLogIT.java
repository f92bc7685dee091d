package org.signaling.api.events.internal;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.signaling.api.testsupport.PostgresProcess;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The event log on PostgreSQL (production), same contract. */
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

}
