package org.signaling.api.call.internal;

import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.call.CallOriginator;
import org.signaling.api.call.CallState;
import org.signaling.api.call.MakeCallCommand;
import org.signaling.api.call.PbxEvent;
import org.signaling.api.testsupport.FakePbx;
import org.signaling.api.testsupport.MutableClock;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Asterisk reports about a call is stored even across a database outage, in order, and never on the AMI event
 * thread's account: a change that cannot be stored now waits for the database; one that can never be stored is
 * dropped rather than holding up every later change.
 */
class CallRegistryFailureTests {

	static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

	static final String CALL = "call-00000000000000000000000000000001";

	final MutableClock clock = new MutableClock(NOW);

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	FailingRepository repository;

	CallRegistry registry;

	@BeforeEach
	void registry() {
		DataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:registry-" + System.nanoTime()
				+ ";DB_CLOSE_DELAY=-1", "sa", "");
		Flyway.configure().dataSource(dataSource).load().migrate();
		repository = new FailingRepository(JdbcClient.create(dataSource));
		registry = new CallRegistry(repository, new FakePbx(), clock, (event) -> {
		}, meters);
		registry.add(CallRecord.initiated(CALL, new MakeCallCommand("5001", "1003", null, false,
				Duration.ofSeconds(30)), NOW, CallOriginator.ASTERISK), null);
	}

	@Test
	void changesReportedWhileTheDatabaseIsAwayAreStoredInOrderOnceItIsBack() {
		repository.failure = new CannotGetJdbcConnectionException("the database went away");

		// Neither throws at the AMI event thread.
		registry.on(new PbxEvent.LegRinging(CALL, "PJSIP/kamailio-00000001", CALL, NOW.plusSeconds(1)));
		registry.on(new PbxEvent.LegHungUp(CALL, "PJSIP/kamailio-00000001", CALL, 19, "No Answer", NOW.plusSeconds(9)));

		assertThat(registry.find(CALL).orElseThrow().status()).isEqualTo(CallState.INITIATED);
		assertThat(meters.counter("signaling.calls.sync.failures").count()).isPositive();

		repository.failure = null;
		registry.retryUnappliedEvents();

		CallRecord stored = repository.find(CALL).orElseThrow();
		assertThat(stored.status()).isEqualTo(CallState.FAILED);
		assertThat(stored.endCause()).isEqualTo("no_answer");
		assertThat(stored.endedAt()).isEqualTo(NOW.plusSeconds(9));
		assertThat(meters.counter("signaling.calls.pbx_events.dropped").count()).isZero();
	}

	@Test
	void aChangeThatCanNeverBeStoredIsDroppedAndHoldsUpNothingAfterIt() {
		repository.failure = new DataIntegrityViolationException("value too long for column");
		registry.on(new PbxEvent.LegRinging(CALL, "PJSIP/kamailio-00000001", CALL, NOW.plusSeconds(1)));
		repository.failure = null;

		registry.on(new PbxEvent.LegHungUp(CALL, "PJSIP/kamailio-00000001", CALL, 16, "Normal Clearing",
				NOW.plusSeconds(9)));

		assertThat(repository.find(CALL).orElseThrow().status()).isEqualTo(CallState.FAILED);
		assertThat(meters.counter("signaling.calls.pbx_events.dropped").count()).isEqualTo(1);
	}

	/** The real repository, with updates failing the way the test says. */
	static final class FailingRepository extends CallRepository {

		RuntimeException failure;

		FailingRepository(JdbcClient jdbc) {
			super(jdbc);
		}

		@Override
		void update(CallRecord call) {
			if (failure != null) {
				throw failure;
			}
			super.update(call);
		}

	}

}
