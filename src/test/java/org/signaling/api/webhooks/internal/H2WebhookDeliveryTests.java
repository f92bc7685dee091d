package org.signaling.api.webhooks.internal;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;

/** Webhook delivery on the embedded default database: a fresh in-memory H2 per test, migrated by Flyway. */
class H2WebhookDeliveryTests extends WebhookDeliveryContract {

	private HikariDataSource dataSource;

	@BeforeEach
	void database() {
		dataSource = new HikariDataSource();
		dataSource.setJdbcUrl("jdbc:h2:mem:webhooks-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
		dataSource.setUsername("sa");
		dataSource.setPassword("");
		dataSource.setMaximumPoolSize(12);
		Flyway.configure().dataSource(dataSource).load().migrate();
	}

	@Override
	void closeDatabase() {
		dataSource.close();
	}

	@Override
	DataSource dataSource() {
		return dataSource;
	}

}
