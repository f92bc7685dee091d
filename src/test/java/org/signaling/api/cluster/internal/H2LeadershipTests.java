package org.signaling.api.cluster.internal;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The leader election on H2 (a lone replica's default database). */
class H2LeadershipTests extends LeadershipContract {

	private final DataSource dataSource = new DriverManagerDataSource(
			"jdbc:h2:mem:cluster-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");

	@Override
	DataSource dataSource() {
		return dataSource;
	}

}
