package org.signaling.api.call.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.call.ActiveCalls;
import org.signaling.api.call.CallOriginator;
import org.signaling.api.call.CallState;
import org.signaling.api.call.CallsProperties;
import org.signaling.api.call.DialogControl;
import org.signaling.api.call.DialogView;
import org.signaling.api.call.LegRelease;
import org.signaling.api.call.MakeCallCommand;
import org.signaling.api.dn.DnService;
import org.signaling.api.kamailio.internal.BridgeFixtures;
import org.signaling.api.shared.Observed;
import org.signaling.api.testsupport.FakePbx;
import org.signaling.api.testsupport.FixedLeadership;
import org.signaling.api.testsupport.MutableClock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * How a call placed by Kamailio (dlg.bridge_dlg) progresses, from the dlg.list answers Kamailio 5.6.3 gave during
 * real click-to-dials ({@code kamailio/bridge/}): 5001 → 5004 connected (call ...01), 5003 not answering (...02),
 * 5001 → a DN that is not registered (...03), 5001 → 5003 that did not answer (...04).
 */
class ClickToDialTrackerTests {

	static final Instant NOW = Instant.ofEpochSecond(1795687731);

	static final String CONNECTED = "call-5eed0000000000000000000000000001";

	static final String AGENT_RINGING = "call-5eed0000000000000000000000000002";

	static final String NOT_REGISTERED = "call-5eed0000000000000000000000000003";

	static final String DESTINATION_CANCELLED = "call-5eed0000000000000000000000000004";

	final MutableClock clock = new MutableClock(NOW);

	final List<String> ended = new ArrayList<>();

	final DnService dnService = mock(DnService.class);

	final CallsProperties properties = new CallsProperties(Duration.ofSeconds(30), Duration.ofSeconds(120),
			Duration.ofHours(24), Duration.ofSeconds(5), Duration.ofSeconds(10), CallOriginator.KAMAILIO,
			Duration.ofDays(90), Duration.ofSeconds(5));

	ActiveCalls dialogs = new ActiveCalls(List.of(), List.of());

	CallRegistry registry;

	ClickToDialTracker tracker;

	@BeforeEach
	void setUp() {
		DataSource dataSource = new DriverManagerDataSource(
				"jdbc:h2:mem:bridge-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
		Flyway.configure().dataSource(dataSource).load().migrate();
		registry = new CallRegistry(new CallRepository(JdbcClient.create(dataSource)), new FakePbx(), clock,
				(event) -> {
				}, new SimpleMeterRegistry());
		DialogView view = () -> new Observed<>(dialogs, clock.instant());
		DialogControl control = new DialogControl() {

			@Override
			public boolean end(String sipCallId) {
				return ended.add(sipCallId);
			}

			@Override
			public Optional<List<LegRelease>> endAndConfirm(String sipCallId, Duration wait) {
				throw new UnsupportedOperationException("the tracker ends dialogs without waiting");
			}

		};
		tracker = new ClickToDialTracker(registry, view, control, dnService, properties, clock,
				new SimpleMeterRegistry(), FixedLeadership.leading());
	}

	@Test
	void followsTheAgentThenTheDestinationUntilTheyTalkAndHangUp() {
		place(CONNECTED, "5001", "5004");

		see("dlg.list-bridge-1-controller-inviting.json");
		assertThat(status(CONNECTED)).isEqualTo(CallState.INITIATED);
		see("dlg.list-bridge-2-agent-answered-calling.json");
		assertThat(status(CONNECTED)).isEqualTo(CallState.RINGING);
		see("dlg.list-bridge-3-destination-ringing.json");
		assertThat(status(CONNECTED)).isEqualTo(CallState.RINGING);
		see("dlg.list-bridge-4-destination-answered.json");
		assertThat(status(CONNECTED)).isEqualTo(CallState.CONFIRMED);
		assertThat(registry.find(CONNECTED).orElseThrow().answeredAt()).isEqualTo(Instant.ofEpochSecond(1795687733));
		assertThat(registry.find(CONNECTED).orElseThrow().sipCallId())
			.isEqualTo("referred-28261-3///5d1d1a6802852dab-28064@127.0.0.1");
		see("dlg.list-bridge-5-connected.json");
		assertThat(status(CONNECTED)).isEqualTo(CallState.CONFIRMED);
		see("../dlg.list-empty.json");

		assertThat(registry.find(CONNECTED).orElseThrow()).satisfies((call) -> {
			assertThat(call.status()).isEqualTo(CallState.ENDED);
			assertThat(call.endCause()).isEqualTo("normal_clearing");
			assertThat(call.originator()).isEqualTo("kamailio");
		});
		assertThat(ended).isEmpty();
	}

	@Test
	void anAgentRingingPastTheRingTimeoutIsCancelledAndTheCallEndsNotAnswered() {
		place(AGENT_RINGING, "5003", "5002");
		see("dlg.list-bridge-agent-ringing.json");
		assertThat(status(AGENT_RINGING)).isEqualTo(CallState.RINGING);

		clock.advance(Duration.ofSeconds(31));
		see("dlg.list-bridge-agent-ringing.json");

		assertThat(ended).containsExactly("5d1d1a6802852daa-28065@127.0.0.1");
		assertThat(registry.find(AGENT_RINGING).orElseThrow()).satisfies((call) -> {
			assertThat(call.status()).isEqualTo(CallState.FAILED);
			assertThat(call.endCause()).isEqualTo("no_answer");
		});
	}

	@Test
	void aCallKamailioNeverShowedIsGivenUpOnlyOnAViewTakenAfterTheGrace() {
		place(NOT_REGISTERED, "5001", "5009");
		given(dnService.isRegistered("5009")).willReturn(false);
		seeAt("../dlg.list-empty.json", NOW.plusSeconds(10));
		assertThat(status(NOT_REGISTERED)).as("a view that is not younger than the grace")
			.isEqualTo(CallState.INITIATED);

		seeAt("../dlg.list-empty.json", NOW.plusSeconds(11));

		assertThat(registry.find(NOT_REGISTERED).orElseThrow().endCause()).isEqualTo("destination_not_registered");
	}

	@Test
	void anAgentThatStopsRingingBeforeTheTimeoutRejectedTheCall() {
		place(AGENT_RINGING, "5003", "5002");
		see("dlg.list-bridge-agent-ringing.json");

		see("dlg.list-bridge-agent-cancelled.json");

		assertThat(registry.find(AGENT_RINGING).orElseThrow().endCause()).isEqualTo("rejected");
	}

	@Test
	void aDestinationThatNeverBecomesADialogIsNotRegisteredOnceTheGraceIsOver() {
		place(NOT_REGISTERED, "5001", "5009");
		given(dnService.isRegistered("5009")).willReturn(false);

		see("dlg.list-bridge-destination-not-registered.json");
		assertThat(status(NOT_REGISTERED)).as("the agent's phone may still be calling").isEqualTo(CallState.INITIATED);
		clock.advance(Duration.ofSeconds(10));
		see("../dlg.list-empty.json");

		assertThat(registry.find(NOT_REGISTERED).orElseThrow()).satisfies((call) -> {
			assertThat(call.status()).isEqualTo(CallState.FAILED);
			assertThat(call.endCause()).isEqualTo("destination_not_registered");
		});
	}

	@Test
	void aDestinationThatWasTriedButNeverAnsweredRejectedTheCall() {
		place(DESTINATION_CANCELLED, "5001", "5003");

		see("dlg.list-bridge-destination-cancelled.json");

		assertThat(registry.find(DESTINATION_CANCELLED).orElseThrow().endCause()).isEqualTo("destination_rejected");
	}

	@Test
	void aDialogOfACallTheApiHungUpThatShowsUpAfterwardsIsEndedToo() {
		place(CONNECTED, "5001", "5004");
		see("dlg.list-bridge-1-controller-inviting.json");
		registry.hangUpLateLegs(CONNECTED);
		registry.end(CONNECTED, EndCauses.HANGUP_API);

		see("dlg.list-bridge-3-destination-ringing.json");

		assertThat(ended).containsExactly("referred-28261-3///5d1d1a6802852dab-28064@127.0.0.1");
		assertThat(registry.find(CONNECTED).orElseThrow().endCause()).isEqualTo("hangup_api");
	}

	@Test
	void callsPlacedByAsteriskAreNotItsBusiness() {
		registry.add(CallRecord.initiated(CONNECTED, new MakeCallCommand("5001", "5004", null, false,
				Duration.ofSeconds(30)), NOW, CallOriginator.ASTERISK), null);

		see("dlg.list-bridge-4-destination-answered.json");
		see("../dlg.list-empty.json");

		assertThat(status(CONNECTED)).isEqualTo(CallState.INITIATED);
	}

	private void place(String callId, String agent, String destination) {
		registry.add(CallRecord.initiated(callId,
				new MakeCallCommand(agent, destination, null, false, Duration.ofSeconds(30)), NOW,
				CallOriginator.KAMAILIO), null);
	}

	private void seeAt(String fixture, Instant observedAt) {
		clock.set(observedAt);
		dialogs = BridgeFixtures.dialogs(fixture.startsWith("../") ? fixture.substring(3) : "bridge/" + fixture);
		tracker.track();
	}

	private void see(String fixture) {
		dialogs = BridgeFixtures.dialogs(fixture.startsWith("../") ? fixture.substring(3) : "bridge/" + fixture);
		tracker.track();
	}

	private CallState status(String callId) {
		return registry.find(callId).orElseThrow().status();
	}

}
