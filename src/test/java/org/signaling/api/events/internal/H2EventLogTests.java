package org.signaling.api.events.internal;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The event log on the embedded database (the default). */
class H2EventLogTests extends EventLogContract {

	@Override
	DataSource dataSource() {
		return new DriverManagerDataSource("jdbc:h2:mem:events-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
	}

}
