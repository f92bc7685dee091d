package org.signaling.api.call.internal;

import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.call.CallOriginator;
import org.signaling.api.call.CallPermissions;
import org.signaling.api.call.CallState;
import org.signaling.api.call.CallsProperties;
import org.signaling.api.call.MakeCallCommand;
import org.signaling.api.testsupport.FakePbx;
import org.signaling.api.testsupport.FakeSignalingState;
import org.signaling.api.testsupport.FixedLeadership;
import org.signaling.api.testsupport.MutableClock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/** A restart of the service: what was live in the database is live again, then reconciled against the backends. */
class CallRegistryRestartTests {

	static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

	final MutableClock clock = new MutableClock(NOW);

	final FakePbx asterisk = new FakePbx();

	CallRepository repository;

	@BeforeEach
	void database() {
		DataSource dataSource = new DriverManagerDataSource(
				"jdbc:h2:mem:restart-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
		Flyway.configure().dataSource(dataSource).load().migrate();
		repository = new CallRepository(JdbcClient.create(dataSource));
	}

	@Test
	void liveCallsAreLiveAgainAfterARestartAndEndedOnesStayEnded() {
		CallRegistry before = new CallRegistry(repository, asterisk, clock, (event) -> {
		}, new SimpleMeterRegistry());
		before.add(call("call-00000000000000000000000000000001"), new IdempotencyKeys.Key("key-1", "f1"));
		before.add(call("call-00000000000000000000000000000002"), null);
		before.update("call-00000000000000000000000000000001", (call) -> call.answered(NOW.plusSeconds(5)));
		before.end("call-00000000000000000000000000000002", EndCauses.HANGUP_API);

		CallRegistry after = new CallRegistry(repository, asterisk, clock, (event) -> {
		}, new SimpleMeterRegistry());

		assertThat(after.live()).singleElement().satisfies((call) -> {
			assertThat(call.callId()).isEqualTo("call-00000000000000000000000000000001");
			assertThat(call.status()).isEqualTo(CallState.CONFIRMED);
			assertThat(call.answeredAt()).isEqualTo(NOW.plusSeconds(5));
		});
		assertThat(after.find("call-00000000000000000000000000000002")).get()
			.extracting(CallRecord::endCause)
			.isEqualTo("hangup_api");
		assertThat(repository.findByIdempotencyKey("key-1")).isPresent();
	}

	@Test
	void afterARestartACallAsteriskNoLongerHasIsEndedByReconciliation() {
		new CallRegistry(repository, asterisk, clock, (event) -> {
		}, new SimpleMeterRegistry()).add(call("call-00000000000000000000000000000003"), null);
		CallRegistry after = new CallRegistry(repository, asterisk, clock, (event) -> {
		}, new SimpleMeterRegistry());
		CallsProperties properties = new CallsProperties(Duration.ofSeconds(30), Duration.ofSeconds(120),
				Duration.ofHours(24), Duration.ofSeconds(5), Duration.ofSeconds(10), CallOriginator.ASTERISK,
				Duration.ofDays(90), Duration.ofSeconds(5));
		IdempotencyKeys keys = new IdempotencyKeys(repository, mock(CallPermissions.class), properties, clock);
		CallReconciler reconciler = new CallReconciler(after, keys, asterisk, new FakeSignalingState(clock), properties,
				new ThreadPoolTaskScheduler(), clock, FixedLeadership.leading());
		clock.advance(Duration.ofMinutes(1));

		reconciler.reconcile();

		assertThat(after.live()).isEmpty();
		assertThat(after.find("call-00000000000000000000000000000003")).get()
			.extracting(CallRecord::endCause)
			.isEqualTo("reconciled");
	}

	private static CallRecord call(String callId) {
		return CallRecord.initiated(callId, new MakeCallCommand("5001", "1003", null, false, Duration.ofSeconds(30)),
				NOW, CallOriginator.ASTERISK);
	}

}
