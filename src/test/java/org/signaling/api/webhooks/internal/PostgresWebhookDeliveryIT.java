package org.signaling.api.webhooks.internal;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.signaling.api.testsupport.PostgresProcess;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Webhook delivery on the production database: the same contract against a real PostgreSQL (Debian's package,
 * started on loopback for this class), the migrations included.
 */
class PostgresWebhookDeliveryIT extends WebhookDeliveryContract {

	static PostgresProcess postgres;

	static HikariDataSource dataSource;

	@BeforeAll
	static void startPostgres() {
		postgres = PostgresProcess.start();
		dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(postgres.jdbcUrl());
		dataSource.setUsername(postgres.username());
		dataSource.setMaximumPoolSize(12);
		Flyway.configure().dataSource(dataSource).load().migrate();
	}

	@AfterAll
	static void stopPostgres() {
		if (dataSource != null) {
			dataSource.close();
		}
		if (postgres != null) {
			postgres.close();
		}
	}

	@BeforeEach
	void noWebhooks() {
		// Deliveries and attempts go with their subscription (on delete cascade).
		JdbcClient.create(dataSource).sql("delete from webhook_subscription").update();
	}

	@Override
	DataSource dataSource() {
		return dataSource;
	}

}
