package org.signaling.api.call;

import java.time.Duration;
import java.time.Instant;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.signaling.api.testsupport.PostgresProcess;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The production database: the Flyway migrations and the call repository against a real PostgreSQL (Debian's
 * package, started on loopback for the test).
 */
class PostgresCallRepositoryIT {

	static final Instant NOW = Instant.parse("2026-11-26T10:00:00.123456Z");

	static PostgresProcess postgres;

	static CallRepository repository;

	@BeforeAll
	static void startPostgres() {
		postgres = PostgresProcess.start();
		DriverManagerDataSource dataSource = new DriverManagerDataSource(postgres.jdbcUrl(), postgres.username(), "");
		Flyway.configure().dataSource(dataSource).load().migrate();
		repository = new CallRepository(JdbcClient.create(dataSource));
	}

	@AfterAll
	static void stopPostgres() {
		if (postgres != null) {
			postgres.close();
		}
	}

	@Test
	void storesACallThroughItsLife() {
		CallRecord call = CallRecord.initiated("call-0000000000000000000000000000aa01",
				new MakeCallCommand("5001", "+15551234567", "+18005550100", true, Duration.ofSeconds(20)), NOW);
		repository.insert(call, "pg-key-1", "fingerprint");

		CallRecord confirmed = call.withChannel("PJSIP/kamailio-00000001", call.callId())
			.withDialog("sip-1@10.0.0.54", "12:34")
			.answered(NOW.plusSeconds(5));
		repository.update(confirmed);
		assertThat(repository.findLive()).extracting(CallRecord::callId).contains(call.callId());

		CallRecord ended = confirmed.ended(CallStatus.ENDED, "normal_clearing", 16, NOW.plusSeconds(65));
		repository.update(ended);

		assertThat(repository.find(call.callId())).contains(ended);
		assertThat(repository.findLive()).extracting(CallRecord::callId).doesNotContain(call.callId());
	}

	@Test
	void anIdempotencyKeyHoldsOneCallUntilReleased() {
		CallRecord first = CallRecord.initiated("call-0000000000000000000000000000aa02",
				new MakeCallCommand("5001", "1003", null, false, Duration.ofSeconds(30)), NOW);
		CallRecord second = CallRecord.initiated("call-0000000000000000000000000000aa03",
				new MakeCallCommand("5001", "1003", null, false, Duration.ofSeconds(30)), NOW);
		repository.insert(first, "pg-key-2", "f");

		assertThatThrownBy(() -> repository.insert(second, "pg-key-2", "f")).isInstanceOf(DuplicateKeyException.class);
		assertThat(repository.findByIdempotencyKey("pg-key-2")).get()
			.satisfies((keyed) -> assertThat(keyed.call().callId()).isEqualTo(first.callId()));

		assertThat(repository.releaseIdempotencyKeysBefore(NOW.plusSeconds(1))).isPositive();
		assertThat(repository.findByIdempotencyKey("pg-key-2")).isEmpty();
		repository.insert(second, "pg-key-2", "f");
	}

}
