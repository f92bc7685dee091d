package org.signaling.api.call.internal;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The stored calls on the embedded database (the default). */
class H2CallStorageTests extends CallStorageContract {

	@Override
	DataSource dataSource() {
		return new DriverManagerDataSource("jdbc:h2:mem:calls-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
	}

}
