package org.signaling.api.security.internal;

import java.time.Duration;
import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.signaling.api.testsupport.PostgresProcess;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared budgets in PostgreSQL (Bucket4j's backend, as production runs it); and PostgreSQL going away. */
class PostgresRateLimitIT extends SharedRateLimitContract {

	static PostgresProcess postgres;

	PostgresBudgets budgets;

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@BeforeAll
	static void start() {
		postgres = PostgresProcess.start();
		DataSource dataSource = new DriverManagerDataSource(postgres.jdbcUrl(), postgres.username(), "");
		Flyway.configure().dataSource(dataSource).load().migrate();
	}

	@AfterAll
	static void stop() {
		postgres.close();
	}

	@AfterEach
	void closeBudgets() {
		if (budgets != null) {
			budgets.close();
		}
	}

	@Override
	SharedBudgets sharedBudgets() {
		JdbcClient.create(new DriverManagerDataSource(postgres.jdbcUrl(), postgres.username(), ""))
			.sql("delete from " + PostgresBudgets.TABLE)
			.update();
		budgets = new PostgresBudgets(PostgresBudgets.poolFor(postgres.jdbcUrl(), postgres.username(), ""), clock,
				meters);
		return budgets;
	}

	@Test
	void whilePostgresIsAwayEachReplicaJudgesByItsOwnBudgetsAndSharesThemAgainOnceItIsBack() {
		SharedBudgets shared = sharedBudgets();
		RateLimiter replicaA = new RateLimiter(LIMITS, clock, shared);
		RateLimiter replicaB = new RateLimiter(LIMITS, clock, shared);
		assertThat(replicaA.checkIp("203.0.113.5").allowed()).isTrue();

		postgres.stop();
		try {
			for (int i = 0; i < 4; i++) {
				assertThat(replicaB.checkIp("203.0.113.5").allowed()).isTrue();
			}
			assertThat(replicaB.checkIp("203.0.113.5").allowed()).as("its own budget").isFalse();
			assertThat(meters.counter("signaling.ratelimit.shared.failures").count()).isEqualTo(1);
		}
		finally {
			postgres.startAgain();
		}

		// Five seconds on, the shared budget is asked again: it still holds A's request (3 of 4 left).
		clock.advance(Duration.ofSeconds(6));
		RateLimiter replicaC = new RateLimiter(LIMITS, clock, shared);
		for (int i = 0; i < 3; i++) {
			assertThat(replicaC.checkIp("203.0.113.5").allowed()).isTrue();
		}
		assertThat(replicaC.checkIp("203.0.113.5").allowed()).isFalse();
	}

}
