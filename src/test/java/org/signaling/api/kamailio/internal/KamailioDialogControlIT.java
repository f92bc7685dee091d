package org.signaling.api.kamailio.internal;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.signaling.api.call.ActiveCall;
import org.signaling.api.call.CallIds;
import org.signaling.api.call.CallState;
import org.signaling.api.call.HangupIncomplete;
import org.signaling.api.call.LegRelease;
import org.signaling.api.kamailio.KamailioProperties;
import org.signaling.api.testsupport.FreePorts;
import org.signaling.api.testsupport.KamailioProcess;
import org.signaling.api.testsupport.Sipp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link KamailioDialogControl} against the real Kamailio (config/kamailio/kamailio.cfg, as deployed: BYE race guard
 * on) with SIPp agents: confirmed calls get a BYE on both sides, round after round; a ringing call is cancelled; the
 * API's call id sent as X-Call-Id shows in the live view. The adapter is built as the application builds it, without
 * Spring; the view is refreshed by hand, so every wait is on a fresh dlg.list.
 *
 * <p>For measuring the BYE race: {@code -Dit.hangup.rounds=100} (at most 500) runs more rounds,
 * {@code -Dit.kamailio.defines=WITHOUT_BYE_RACE_GUARD} runs Kamailio without the guard; the failure then says in how
 * many rounds the callee missed its BYE.
 */
class KamailioDialogControlIT {

	private static final Duration STEP = Duration.ofSeconds(10);

	/** How long a BYE may take to reach an agent before it counts as missed. */
	private static final Duration BYE_WAIT = Duration.ofSeconds(5);

	private static final int ROUNDS = Math.max(20, Math.min(500, Integer.getInteger("it.hangup.rounds", 20)));

	private static KamailioProcess kamailio;

	private static KamailioStateView view;

	private static KamailioDialogControl control;

	private static ByeRetries retries;

	private static final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private static final List<Object> published = new CopyOnWriteArrayList<>();

	@BeforeAll
	static void startKamailio() {
		String defines = System.getProperty("it.kamailio.defines", "").trim();
		kamailio = KamailioProcess.start("127.0.0.1:" + FreePorts.udp(),
				defines.isEmpty() ? new String[0] : defines.split("\\s+"));
		KamailioProperties properties = new KamailioProperties(URI.create(kamailio.rpcUrl()), "127.0.0.1",
				Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(3),
				"location");
		KamailioRpcClient rpc = KamailioTestSupport.client(properties);
		view = new KamailioStateView(rpc, properties, Clock.systemUTC(), new SimpleMeterRegistry());
		retries = new ByeRetries(rpc, Clock.systemUTC(), meters, published::add, true);
		control = new KamailioDialogControl(rpc, view, retries, Duration.ofSeconds(5), Clock.systemUTC());
	}

	@AfterAll
	static void stopKamailio() {
		if (retries != null) {
			retries.close();
		}
		if (kamailio != null) {
			kamailio.close();
		}
	}

	@Test
	void hangsUpConfirmedCallsWithAByeToBothPartiesEveryTime() {
		List<String> missed = new ArrayList<>();
		try (Sipp sipp = new Sipp(kamailio)) {
			Sipp.Agent callee = sipp.agentUas("5002");
			for (int round = 1; round <= ROUNDS; round++) {
				int calleeByes = callee.countReceived("BYE ");
				Sipp.Agent caller = sipp.call("5001", "5002");
				ActiveCall call = awaitCall("confirmed call 5001->5002, round " + round,
						(c) -> "5001".equals(c.fromDn()) && c.state() == CallState.CONFIRMED);
				assertThat(call.apiCallId()).as("no X-Call-Id sent").isNull();

				assertThat(control.end(call.sipCallId())).isTrue();

				await("caller's BYE, round " + round).atMost(BYE_WAIT)
					.pollInterval(Duration.ofMillis(20))
					.until(() -> caller.countReceived("BYE ") == 1);
				try {
					await("callee's BYE, round " + round).atMost(BYE_WAIT)
						.pollInterval(Duration.ofMillis(20))
						.until(() -> callee.countReceived("BYE ") == calleeByes + 1);
				}
				catch (ConditionTimeoutException ex) {
					missed.add("round " + round + " (" + call.sipCallId() + ")");
				}
				awaitGone(call);
				caller.stop();
			}
			assertThat(callee.isAlive()).isTrue();
		}
		assertThat(missed).as("callee without BYE in %d of %d hang-ups; Kamailio log %s", missed.size(), ROUNDS,
				kamailio.logFile())
			.isEmpty();
	}

	@Test
	void aCalleeThatRefusesItsByeIsReportedThenReleasedByAByeOfOurOwn() {
		try (Sipp sipp = new Sipp(kamailio)) {
			Sipp.Agent callee = sipp.byeRefusingUas("5008");
			Sipp.Agent caller = sipp.call("5009", "5008");
			ActiveCall call = awaitCall("confirmed call 5009->5008",
					(c) -> "5009".equals(c.fromDn()) && c.state() == CallState.CONFIRMED);

			Optional<List<LegRelease>> legs = control.endAndConfirm(call.sipCallId(), BYE_WAIT);

			assertThat(legs).isPresent();
			assertThat(legs.get().get(0)).isEqualTo(LegRelease.released(LegRelease.CALLER));
			LegRelease callee500 = legs.get().get(1);
			assertThat(callee500.released()).isFalse();
			assertThat(callee500.reason()).isEqualTo("BYE answered 500");
			assertThat(callee500.retryingUntil()).as("the dialog's timeout (DLG_TIMEOUT, an hour)")
				.isAfter(Instant.now().plus(Duration.ofMinutes(59)));
			assertThat(published).anySatisfy((event) -> assertThat(event)
				.isEqualTo(new HangupIncomplete(call.listedCallId(), call.dns(), List.of(callee500))));
			await("caller's BYE in sipp's log").atMost(STEP)
				.pollInterval(Duration.ofMillis(20))
				.until(() -> caller.countReceived("BYE ") == 1);

			// the schedule's own BYE (tm.t_uac_start), a new transaction the callee accepts
			await("callee's second BYE").atMost(STEP)
				.pollInterval(Duration.ofMillis(50))
				.until(() -> callee.countReceived("BYE ") == 2);
			await("its 200 recorded by Kamailio, and the leg released").atMost(STEP)
				.pollInterval(Duration.ofMillis(50))
				.until(() -> meters.counter("signaling.hangup.legs", "party", "callee", "outcome", "released_on_retry")
					.count() == 1);
			assertThat(callee.countReceivedPerCall("BYE ")).as("both BYEs in the one call").hasSize(1);
			awaitGone(call);
		}
	}

	@Test
	void cancelsARingingCall() {
		try (Sipp sipp = new Sipp(kamailio)) {
			Sipp.Agent callee = sipp.ringingUas("5003");
			Sipp.Agent caller = sipp.call("5004", "5003");
			ActiveCall call = awaitCall("ringing call 5004->5003",
					(c) -> "5004".equals(c.fromDn()) && c.state() == CallState.RINGING);

			assertThat(control.end(call.sipCallId())).isTrue();

			await("callee's CANCEL").atMost(STEP)
				.pollInterval(Duration.ofMillis(20))
				.until(() -> callee.countReceived("CANCEL ") == 1);
			await("caller's 487").atMost(STEP)
				.pollInterval(Duration.ofMillis(20))
				.until(() -> caller.countReceived("SIP/2.0 487") == 1);
			assertThat(caller.awaitExit(STEP)).as("caller ACKed the 487 and ended").isZero();
			assertThat(caller.countReceived("SIP/2.0 200")).as("never answered").isZero();
			awaitGone(call);
			assertThat(callee.isAlive()).isTrue();
		}
	}

	@Test
	void aRingingCallWhoseCalleeIgnoresTheCancelIsNotLeftInKamailio() {
		try (Sipp sipp = new Sipp(kamailio)) {
			Sipp.Agent callee = sipp.cancelIgnoringUas("5010");
			Sipp.Agent caller = sipp.call("5011", "5010");
			ActiveCall call = awaitCall("ringing call 5011->5010",
					(c) -> "5011".equals(c.fromDn()) && c.state() == CallState.RINGING);

			// tm.cancel would leave this dialog ringing (state 2) and the caller unanswered, past the INVITE timer
			assertThat(control.endAndConfirm(call.sipCallId(), BYE_WAIT))
				.contains(List.of(LegRelease.released(LegRelease.CALLER), LegRelease.released(LegRelease.CALLEE)));

			// sipp writes its message log after handling the message: Kamailio may have confirmed first
			await("callee's CANCEL").atMost(STEP)
				.pollInterval(Duration.ofMillis(20))
				.until(() -> callee.countReceived("CANCEL ") > 0);
			await("caller's 487").atMost(STEP)
				.pollInterval(Duration.ofMillis(20))
				.until(() -> caller.countReceived("SIP/2.0 487") == 1);
			assertThat(caller.awaitExit(STEP)).as("caller ACKed the 487 and ended").isZero();
			awaitGone(call);
		}
	}

	@Test
	void aCallPlacedWithXCallIdCarriesTheApiCallIdInTheLiveView() {
		String apiCallId = CallIds.newCallId();
		try (Sipp sipp = new Sipp(kamailio)) {
			sipp.agentUas("5006");
			sipp.call("5005", "5006", apiCallId);
			// Config regex matching ignores case; the config checks the case itself.
			sipp.call("5007", "5006", "call-0123456789ABCDEF0123456789ABCDEF");

			ActiveCall ours = awaitCall("call with X-Call-Id",
					(c) -> "5005".equals(c.fromDn()) && c.state() == CallState.CONFIRMED);
			ActiveCall other = awaitCall("call with an upper-case X-Call-Id",
					(c) -> "5007".equals(c.fromDn()) && c.state() == CallState.CONFIRMED);

			assertThat(ours.apiCallId()).isEqualTo(apiCallId);
			assertThat(other.apiCallId()).isNull();
			assertThat(kamailio.rpc().result("dlg.dlg_list", other.sipCallId()).path("variables").isEmpty()).isTrue();

			assertThat(control.end(ours.sipCallId())).isTrue();
			assertThat(control.end(other.sipCallId())).isTrue();
			awaitGone(ours);
			awaitGone(other);
		}
	}

	@Test
	void aGenesysCallUuidIsKeptFromATrustedPeerOnly() {
		try (Sipp sipp = new Sipp(kamailio)) {
			sipp.agentUas("5012");
			sipp.genesysCall("5013", "5012", "0ADGKUB0K4BQR4N5N7C2B2LAES00000E", true);
			// an agent forging the header Genesys writes
			sipp.genesysCall("5014", "5012", "0ADGKUB0K4BQR4N5N7C2B2LAES0FORGE", false);

			ActiveCall fromGenesys = awaitCall("call from the trusted peer",
					(c) -> "5013".equals(c.fromDn()) && c.state() == CallState.CONFIRMED);
			ActiveCall fromAgent = awaitCall("call from an agent",
					(c) -> "5014".equals(c.fromDn()) && c.state() == CallState.CONFIRMED);

			assertThat(fromGenesys.genesysCallUuid()).isEqualTo("0ADGKUB0K4BQR4N5N7C2B2LAES00000E");
			assertThat(fromAgent.genesysCallUuid()).isNull();
			assertThat(kamailio.rpc().result("dlg.dlg_list", fromAgent.sipCallId()).path("variables").isEmpty())
				.isTrue();

			assertThat(control.end(fromGenesys.sipCallId())).isTrue();
			assertThat(control.end(fromAgent.sipCallId())).isTrue();
			awaitGone(fromGenesys);
			awaitGone(fromAgent);
		}
	}

	/** The first call of a fresh view that matches, waiting (bounded) until there is one. */
	private static ActiveCall awaitCall(String description, Predicate<ActiveCall> match) {
		return await(description).atMost(STEP)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> refreshed().filter(match).findFirst(), Optional::isPresent)
			.orElseThrow();
	}

	private static void awaitGone(ActiveCall call) {
		await(call.sipCallId() + " gone from dlg.list").atMost(STEP)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> refreshed().noneMatch((c) -> c.sipCallId().equals(call.sipCallId())));
	}

	private static Stream<ActiveCall> refreshed() {
		view.refresh();
		return view.activeCalls().value().all().stream();
	}

}
