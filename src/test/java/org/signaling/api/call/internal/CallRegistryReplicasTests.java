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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas' registries on one database: each holds the other's live calls within a sync, ends them for its own
 * reasons, and the first end of a call is the one that stays.
 */
class CallRegistryReplicasTests {

	static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

	static final String CALL = "call-000000000000000000000000000000a1";

	final MutableClock clock = new MutableClock(NOW);

	CallRegistry replicaA;

	CallRegistry replicaB;

	@BeforeEach
	void twoReplicas() {
		DataSource dataSource = new DriverManagerDataSource(
				"jdbc:h2:mem:replicas-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
		Flyway.configure().dataSource(dataSource).load().migrate();
		CallRepository repository = new CallRepository(JdbcClient.create(dataSource));
		replicaA = new CallRegistry(repository, new FakePbx(), clock, (event) -> {
		}, new SimpleMeterRegistry());
		replicaB = new CallRegistry(repository, new FakePbx(), clock, (event) -> {
		}, new SimpleMeterRegistry());
	}

	@Test
	void aCallPlacedThroughOneReplicaIsLiveOnTheOtherAfterASyncAndLeavesItWhenItEnds() {
		replicaA.add(call(), null);
		assertThat(replicaB.live()).isEmpty();

		replicaB.syncWithDatabase();
		assertThat(replicaB.live()).extracting(CallRecord::callId).containsExactly(CALL);

		replicaA.update(CALL, (call) -> call.answered(NOW.plusSeconds(3)));
		replicaB.syncWithDatabase();
		assertThat(replicaB.live()).singleElement().extracting(CallRecord::status).isEqualTo(CallState.CONFIRMED);

		replicaA.end(CALL, EndCauses.HANGUP_API);
		replicaB.syncWithDatabase();
		assertThat(replicaB.live()).isEmpty();
	}

	@Test
	void theAsteriskNodeACallWentToIsKnownOnTheOtherReplicaAndNoLaterChangeForgetsIt() {
		replicaA.add(call(), null);
		replicaB.syncWithDatabase();
		replicaA.placedOn(CALL, "pbx-west");
		// B, not synced since, stores a change of its own copy, which does not know the node yet.
		replicaB.on(new PbxEvent.LegCreated(CALL, "PJSIP/5001-00000001", CALL, CALL, NOW.plusSeconds(1)));

		replicaB.syncWithDatabase();

		assertThat(replicaB.live()).singleElement().satisfies((call) -> {
			assertThat(call.pbxNode()).isEqualTo("pbx-west");
			assertThat(call.channels()).hasSize(1);
		});
	}

	@Test
	void theReplicaThatEndsACallFirstDecidesHowItEndedEvenWhereTheOtherStillHeldItLive() {
		replicaA.add(call(), null);
		replicaB.syncWithDatabase();

		// B's API hangs it up; A (not synced yet) then hears Asterisk's hang-up of the leg.
		replicaB.end(CALL, EndCauses.HANGUP_API);
		replicaA.on(new PbxEvent.LegHungUp(CALL, "PJSIP/5001-00000001", CALL, 16, "Normal Clearing",
				NOW.plusSeconds(9)));

		assertThat(replicaA.find(CALL)).get().extracting(CallRecord::endCause).isEqualTo(EndCauses.HANGUP_API);
		assertThat(replicaB.find(CALL)).get().extracting(CallRecord::endCause).isEqualTo(EndCauses.HANGUP_API);
		replicaA.syncWithDatabase();
		assertThat(replicaA.live()).isEmpty();
	}

	@Test
	void aHangupAskedThroughOneReplicaEndsAsHangupApiEvenWhenTheOtherRecordsTheEndFirst() {
		replicaA.add(call(), null);
		replicaB.syncWithDatabase();

		// B's API asks; A hears Asterisk's hang-up of the leg before B records the end.
		replicaB.hangUpAskedByApi(CALL);
		replicaA.on(new PbxEvent.LegHungUp(CALL, "PJSIP/5001-00000002", CALL, 16, "Normal Clearing",
				NOW.plusSeconds(4)));
		replicaB.end(CALL, EndCauses.HANGUP_API);

		assertThat(replicaA.find(CALL)).get().satisfies((call) -> {
			assertThat(call.endCause()).isEqualTo(EndCauses.HANGUP_API);
			assertThat(call.hangupCause()).isEqualTo(16);
		});
	}

	@Test
	void aReplicaEndsACallPlacedThroughAnotherBeforeItsFirstSync() {
		replicaA.add(call(), null);

		replicaB.end(CALL, EndCauses.HANGUP_API);

		assertThat(replicaB.find(CALL)).get().extracting(CallRecord::endCause).isEqualTo(EndCauses.HANGUP_API);
		replicaA.syncWithDatabase();
		assertThat(replicaA.live()).isEmpty();
	}

	private static CallRecord call() {
		return CallRecord.initiated(CALL, new MakeCallCommand("5001", "1003", null, false, Duration.ofSeconds(30)),
				NOW, CallOriginator.ASTERISK);
	}

}
