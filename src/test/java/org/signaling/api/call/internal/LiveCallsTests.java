package org.signaling.api.call.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.call.ActiveCall;
import org.signaling.api.call.ActiveCalls;
import org.signaling.api.call.CallOriginator;
import org.signaling.api.call.CallState;
import org.signaling.api.call.MakeCallCommand;
import org.signaling.api.call.PbxEvent;
import org.signaling.api.dn.SipUris;
import org.signaling.api.shared.Observed;
import org.signaling.api.testsupport.FakePbx;
import org.signaling.api.testsupport.MutableClock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listing of active calls is built once per change of what it is built from (Kamailio's dialog list, the live API
 * calls), and a change of either is seen by the next read.
 */
class LiveCallsTests {

	static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

	final MutableClock clock = new MutableClock(NOW);

	CallRegistry registry;

	/** One dialog list, kept as one object until the test replaces it, as the Kamailio view does between refreshes. */
	Observed<ActiveCalls> dialogs = observed(dialog("a@pc", "5001", "5002", CallState.CONFIRMED));

	LiveCalls liveCalls;

	@BeforeEach
	void liveCalls() {
		DataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:live-calls-" + System.nanoTime()
				+ ";DB_CLOSE_DELAY=-1", "sa", "");
		Flyway.configure().dataSource(dataSource).load().migrate();
		registry = new CallRegistry(new CallRepository(JdbcClient.create(dataSource)), new FakePbx(), clock,
				(event) -> {
				}, new SimpleMeterRegistry());
		liveCalls = new LiveCalls(() -> dialogs, registry, new SipUris("pbx.example"));
	}

	@Test
	void anUnchangedViewIsAnsweredWithTheListingAlreadyBuilt() {
		List<ListedCall> first = liveCalls.all().value();

		assertThat(liveCalls.all().value()).isSameAs(first);
		assertThat(first).extracting(ListedCall::callId).containsExactly("a@pc");
	}

	@Test
	void theCountsPerDnAreOneObjectPerChangeSoThatWhatIsBuiltFromThemIsKept() {
		assertThat(liveCalls.activeCallCounts().value()).isSameAs(liveCalls.activeCallCounts().value());
		assertThat(liveCalls.activeCallCounts().value().activeCallsOf("5001")).isEqualTo(1);
	}

	@Test
	void aCallTheApiPlacesIsListedAtOnceWhileKamailiosListIsUnchanged() {
		liveCalls.all();

		registry.add(CallRecord.initiated("call-00000000000000000000000000000001",
				new MakeCallCommand("5003", "1003", null, false, Duration.ofSeconds(30)), NOW.plusSeconds(1),
				CallOriginator.ASTERISK), null);

		assertThat(liveCalls.all().value()).extracting(ListedCall::callId)
			.containsExactly("a@pc", "call-00000000000000000000000000000001");
		assertThat(liveCalls.all().value().get(1).fromUri()).isEqualTo("sip:5003@pbx.example");
		assertThat(liveCalls.activeCallCounts().value().activeCallsOf("5003")).isEqualTo(1);
	}

	@Test
	void anApiCallThatEndsLeavesTheListingAtOnce() {
		String callId = "call-00000000000000000000000000000002";
		registry.add(CallRecord.initiated(callId, new MakeCallCommand("5003", "1003", null, false,
				Duration.ofSeconds(30)), NOW, CallOriginator.ASTERISK), null);
		assertThat(liveCalls.activeCallCounts().value().activeCallsOf("5003")).isEqualTo(1);

		registry.on(new PbxEvent.LegHungUp(callId, "PJSIP/kamailio-00000001", callId, 19, "No Answer",
				NOW.plusSeconds(9)));

		assertThat(liveCalls.activeCallCounts().value().activeCallsOf("5003")).isZero();
		assertThat(liveCalls.all().value()).extracting(ListedCall::callId).containsExactly("a@pc");
	}

	@Test
	void aNewDialogListIsSeenByTheNextRead() {
		assertThat(liveCalls.activeCallCounts().value().activeCallsOf("5002")).isEqualTo(1);

		dialogs = observed(dialog("b@pc", "5004", "5005", CallState.RINGING));

		assertThat(liveCalls.activeCallCounts().value().activeCallsOf("5002")).isZero();
		assertThat(liveCalls.byDn().value()).containsOnlyKeys("5004", "5005");
	}

	private Observed<ActiveCalls> observed(ActiveCall... calls) {
		return new Observed<>(new ActiveCalls(List.of(calls), List.of()), NOW);
	}

	private static ActiveCall dialog(String sipCallId, String from, String to, CallState state) {
		return new ActiveCall(sipCallId, "1:" + sipCallId.hashCode(), "sip:" + from + "@pbx.example",
				"sip:" + to + "@pbx.example", state, NOW, null, from, Set.of(from, to), null, sipCallId, null);
	}

}
