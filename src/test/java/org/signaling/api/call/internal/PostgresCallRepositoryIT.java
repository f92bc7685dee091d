package org.signaling.api.call.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.signaling.api.call.CallOriginator;
import org.signaling.api.call.CallState;
import org.signaling.api.call.MakeCallCommand;
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

	static CallHistoryRepository history;

	@BeforeAll
	static void startPostgres() {
		postgres = PostgresProcess.start();
		DriverManagerDataSource dataSource = new DriverManagerDataSource(postgres.jdbcUrl(), postgres.username(), "");
		Flyway.configure().dataSource(dataSource).load().migrate();
		repository = new CallRepository(JdbcClient.create(dataSource));
		history = new CallHistoryRepository(JdbcClient.create(dataSource));
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
				new MakeCallCommand("5001", "+15551234567", "+18005550100", true, Duration.ofSeconds(20)), NOW,
				CallOriginator.ASTERISK);
		repository.insert(call, "pg-key-1", "fingerprint");

		CallRecord confirmed = call.withChannel("PJSIP/kamailio-00000001", call.callId())
			.withDialog("sip-1@10.0.0.54", "12:34")
			.answered(NOW.plusSeconds(5));
		repository.update(confirmed);
		assertThat(repository.findLive()).extracting(CallRecord::callId).contains(call.callId());

		CallRecord ended = confirmed.ended(CallState.ENDED, "normal_clearing", 16, NOW.plusSeconds(65));
		repository.update(ended);

		assertThat(repository.find(call.callId())).contains(ended);
		assertThat(repository.findLive()).extracting(CallRecord::callId).doesNotContain(call.callId());
	}

	@Test
	void theCallHistoryOpensProgressesAndClosesACallExactlyOnce() {
		CallHistoryRepository.HistoryEntry call = new CallHistoryRepository.HistoryEntry(0, "pg-history-1@pc33",
				"kamailio", "ringing", "sip:5002@10.0.0.54", "sip:5003@10.0.0.54", "5002", Set.of("5002", "5003"), null,
				"7:9", NOW, null, null, null, null, null);

		assertThat(history.open(call)).isTrue();
		assertThat(history.open(call)).as("a call id is never reused").isFalse();
		history.progress("pg-history-1@pc33", "answered", NOW.plusSeconds(3), "7:9",
				"0ADGKUB0K4BQR4N5N7C2B2LAES00000E");
		assertThat(history.findOpen("pg-history-1@pc33")).get()
			.extracting(CallHistoryRepository.HistoryEntry::answeredAt)
			.isEqualTo(NOW.plusSeconds(3));
		history.progress("pg-history-1@pc33", "answered", NOW.plusSeconds(3), "7:9", "other");
		assertThat(history.ofGenesysCallUuid("0ADGKUB0K4BQR4N5N7C2B2LAES00000E", 20))
			.as("found live, and the first Genesys id kept").singleElement()
			.extracting(CallHistoryRepository.HistoryEntry::callId)
			.isEqualTo("pg-history-1@pc33");

		assertThat(history.close("pg-history-1@pc33", NOW.plusSeconds(63), "hangup", 60, null)).isTrue();
		assertThat(history.close("pg-history-1@pc33", NOW.plusSeconds(99), "reconciled", 96, null)).isFalse();

		assertThat(history.ended("5003", NOW, null, "hangup", null, 10)).singleElement().satisfies((ended) -> {
			assertThat(ended.duration()).isEqualTo(60);
			assertThat(ended.endedAt()).isEqualTo(NOW.plusSeconds(63));
			assertThat(ended.dns()).containsExactlyInAnyOrder("5002", "5003");
		});
		assertThat(history.ended("5004", null, null, null, null, 10)).isEmpty();
		assertThat(history.ofGenesysCallUuid("0ADGKUB0K4BQR4N5N7C2B2LAES00000E", 20)).as("found ended")
			.singleElement()
			.extracting(CallHistoryRepository.HistoryEntry::endCause)
			.isEqualTo("hangup");
		assertThat(history.ofGenesysCallUuid("other", 20)).isEmpty();
	}

	@Test
	void anIdempotencyKeyHoldsOneCallUntilReleased() {
		CallRecord first = CallRecord.initiated("call-0000000000000000000000000000aa02",
				new MakeCallCommand("5001", "1003", null, false, Duration.ofSeconds(30)), NOW, CallOriginator.ASTERISK);
		CallRecord second = CallRecord.initiated("call-0000000000000000000000000000aa03",
				new MakeCallCommand("5001", "1003", null, false, Duration.ofSeconds(30)), NOW, CallOriginator.ASTERISK);
		repository.insert(first, "pg-key-2", "f");

		assertThatThrownBy(() -> repository.insert(second, "pg-key-2", "f")).isInstanceOf(DuplicateKeyException.class);
		assertThat(repository.findByIdempotencyKey("pg-key-2")).get()
			.satisfies((keyed) -> assertThat(keyed.call().callId()).isEqualTo(first.callId()));

		assertThat(repository.releaseIdempotencyKeysBefore(NOW.plusSeconds(1))).isPositive();
		assertThat(repository.findByIdempotencyKey("pg-key-2")).isEmpty();
		repository.insert(second, "pg-key-2", "f");
	}

}
