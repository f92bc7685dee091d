package org.signaling.api.kamailio.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.signaling.api.call.ActiveCall;
import org.signaling.api.call.CallState;
import org.signaling.api.dn.Registration;
import org.signaling.api.kamailio.KamailioProperties;
import org.signaling.api.shared.ViewRefreshed;
import org.signaling.api.testsupport.FreePorts;
import org.signaling.api.testsupport.KamailioProcess;
import org.signaling.api.testsupport.Sipp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Push against the real Kamailio (config/kamailio/kamailio.cfg, evapi on a free port) and SIPp agents, with the
 * periodic refresh out of the way (every 10 minutes): whatever the view shows after its first refresh came by push
 * or by the resync after a reconnect. A REGISTER and a call's start and end reach the view; a Kamailio restart is
 * followed by a reconnect and a full resync. Also measures how long a REGISTER takes to reach the view (printed and
 * written to target/evapi-push-latency.txt; {@code -Dit.push.registrations=N}, 50 to 1000, runs more).
 */
class EvapiPushIT {

	/** Far above any push (tens of milliseconds) and far below the refresh interval. */
	private static final Duration PUSH_BOUND = Duration.ofSeconds(5);

	/** Kamailio stop and start, plus the listener's backoff (0.5, 1, 2, 4 s). */
	private static final Duration RECONNECT_BOUND = Duration.ofSeconds(20);

	private static final Duration REFRESH_INTERVAL = Duration.ofMinutes(10);

	private static final int REGISTRATIONS = Math.max(50,
			Math.min(1000, Integer.getInteger("it.push.registrations", 50)));

	private static KamailioProcess kamailio;

	private static KamailioStateView view;

	private static EvapiListener listener;

	private static KamailioDialogControl control;

	/** The view's meters: its RPCs by method. */
	private static final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	/** When the view first held each DN (wall clock, taken on the refresh thread right after the refresh). */
	private static final Map<String, Instant> firstHeld = new ConcurrentHashMap<>();

	/** Every refresh of the view, in order. */
	private static final List<String> refreshes = new CopyOnWriteArrayList<>();

	/** Call states the view saw, per SIP Call-ID. */
	private static final Map<String, List<CallState>> statesSeen = new ConcurrentHashMap<>();

	@BeforeAll
	static void startKamailioAndListener() {
		kamailio = KamailioProcess.start("127.0.0.1:" + FreePorts.udp());
		KamailioProperties properties = new KamailioProperties(URI.create(kamailio.rpcUrl()), "127.0.0.1",
				REFRESH_INTERVAL, REFRESH_INTERVAL.multipliedBy(2), Duration.ofSeconds(1), Duration.ofSeconds(3),
				"location", kamailio.evapiAddress(), null, REFRESH_INTERVAL);
		KamailioRpcClient rpc = KamailioTestSupport.client(properties);
		AtomicReference<KamailioStateView> self = new AtomicReference<>();
		view = new KamailioStateView(rpc, properties, Clock.systemUTC(), meters,
				(event) -> observe(self.get(), (ViewRefreshed) event));
		self.set(view);
		control = new KamailioDialogControl(rpc, view,
				new ByeRetries(rpc, Clock.systemUTC(), new SimpleMeterRegistry(), (event) -> { }, false),
				Duration.ofSeconds(5), Clock.systemUTC());
		listener = new EvapiListener(properties.evapiAddress(), view, KamailioFixtures.JSON,
				properties.connectTimeout(), new SimpleMeterRegistry());
		view.start();
		listener.start();
		await("push connected").atMost(PUSH_BOUND).until(() -> listener.status() == EvapiListener.Status.CONNECTED);
		await("first refresh").atMost(PUSH_BOUND).until(view::isFresh);
	}

	private static void observe(KamailioStateView view, ViewRefreshed event) {
		Instant now = Instant.now();
		refreshes.add(event.part());
		if (ViewRefreshed.REGISTRATIONS.equals(event.part())) {
			for (Registration registration : view.registrations().value().all()) {
				firstHeld.putIfAbsent(registration.dn(), now);
			}
		}
		else if (ViewRefreshed.DIALOGS.equals(event.part())) {
			for (ActiveCall call : view.activeCalls().value().all()) {
				List<CallState> states = statesSeen.computeIfAbsent(call.listedCallId(),
						(id) -> new CopyOnWriteArrayList<>());
				if (states.isEmpty() || states.get(states.size() - 1) != call.state()) {
					states.add(call.state());
				}
			}
		}
	}

	@AfterAll
	static void stopAll() {
		if (listener != null) {
			listener.stop();
		}
		if (view != null) {
			view.stop();
		}
		if (kamailio != null) {
			kamailio.close();
		}
	}

	@Test
	void aRegistrationAndItsRemovalReachTheViewByPushAndAreReadBackByTheirAorAlone() {
		try (Sipp sipp = new Sipp(kamailio)) {
			double dumps = rpcCalls("ul.dump");
			double lookups = rpcCalls("ul.lookup");
			int port = sipp.register("5101");

			awaitRegistered("5101", true);

			sipp.unregister("5101", port);
			awaitRegistered("5101", false);
			assertThat(rpcCalls("ul.lookup") - lookups).as("the pushed AoR read back: REGISTER and un-REGISTER")
				.isGreaterThanOrEqualTo(2);
			assertThat(rpcCalls("ul.dump")).as("never the whole table").isEqualTo(dumps);
		}
	}

	private static double rpcCalls(String method) {
		return meters.find("signaling.kamailio.refresh").tag("method", method).timers().stream()
			.mapToDouble((timer) -> timer.count())
			.sum();
	}

	@Test
	void aCallAppearsAndEndsByPush() {
		try (Sipp sipp = new Sipp(kamailio)) {
			sipp.agentUas("5202");
			sipp.call("5201", "5202");

			ActiveCall call = await("call 5201->5202 confirmed in the view").atMost(PUSH_BOUND)
				.pollInterval(Duration.ofMillis(10))
				.until(() -> findCall((c) -> "5201".equals(c.fromDn())), (c) -> c != null
						&& c.state() == CallState.CONFIRMED);
			Instant hangUp = Instant.now();
			// dlg.end_dlg: the hang-up that does not always run event_route[dialog:end]
			assertThat(control.end(call.sipCallId())).isTrue();

			await("call gone from the view").atMost(PUSH_BOUND)
				.pollInterval(Duration.ofMillis(10))
				.until(() -> findCall((c) -> call.listedCallId().equals(c.listedCallId())) == null);
			report("call 5201->5202: states seen by the view " + statesSeen.get(call.listedCallId())
					+ "; gone from the view " + Duration.between(hangUp, Instant.now()).toMillis()
					+ " ms after dlg.end_dlg was sent (polled every 10 ms)");
		}
	}

	@Test
	void measuresHowLongARegisterTakesToReachTheView() {
		List<Long> fromSippStart = new ArrayList<>();
		List<Long> fromRequest = new ArrayList<>();
		List<Long> fromOk = new ArrayList<>();
		try (Sipp sipp = new Sipp(kamailio)) {
			for (int i = 0; i < REGISTRATIONS; i++) {
				String dn = Integer.toString(6000 + i);
				Instant launched = Instant.now();
				Sipp.RegisterTimes times = sipp.registerTimed(dn);
				Instant held = await("DN " + dn + " in the view").atMost(PUSH_BOUND)
					.pollInterval(Duration.ofMillis(5))
					.until(() -> firstHeld.get(dn), (at) -> at != null);
				fromSippStart.add(micros(launched, held));
				fromRequest.add(micros(times.requestSent(), held));
				fromOk.add(micros(times.okReceived(), held));
			}
		}
		report(String.format("REGISTER -> view holds the DN, %d registrations, one at a time, push on, polling every "
				+ "%s:%n"
				+ "  from SIPp's REGISTER on the wire: %s%n  from SIPp's 200 received:         %s%n"
				+ "  from starting the SIPp process:   %s", REGISTRATIONS, REFRESH_INTERVAL, stats(fromRequest),
				stats(fromOk), stats(fromSippStart)));
	}

	@Test
	void reconnectsAndResyncsAfterKamailioRestarts() {
		try (Sipp sipp = new Sipp(kamailio)) {
			sipp.register("5301");
			awaitRegistered("5301", true);

			kamailio.stop();
			int refreshesBefore = refreshes.size();
			await("push lost").atMost(PUSH_BOUND).until(() -> listener.status() == EvapiListener.Status.DISCONNECTED);
			kamailio.start();
			Instant started = Instant.now();

			// usrloc is memory-only: the restarted Kamailio has no registrations, and no event says so
			await("push back").atMost(RECONNECT_BOUND).until(() -> listener.status() == EvapiListener.Status.CONNECTED);
			awaitRegistered("5301", false);
			report("Kamailio restart: push reconnected and the view resynced "
					+ Duration.between(started, Instant.now()).toMillis()
					+ " ms after Kamailio answered JSON-RPC again");
			assertThat(view.registrations().value().all()).isEmpty();
			// every part is read again, one after the other on the refresh thread: the registrations came first
			await("resync of every part").atMost(PUSH_BOUND).untilAsserted(() -> {
				List<String> sinceRestart = List.copyOf(refreshes);
				assertThat(sinceRestart.subList(refreshesBefore, sinceRestart.size()))
					.contains(ViewRefreshed.REGISTRATIONS, ViewRefreshed.DIALOGS, ViewRefreshed.DISPATCHER);
			});

			// the new connection delivers events
			sipp.register("5302");
			awaitRegistered("5302", true);
		}
	}

	private static void awaitRegistered(String dn, boolean registered) {
		await("DN " + dn + (registered ? " registered" : " not registered") + " in the view").atMost(PUSH_BOUND)
			.pollInterval(Duration.ofMillis(10))
			.until(() -> view.registrations().value().find(dn).isPresent() == registered);
	}

	private static ActiveCall findCall(Predicate<ActiveCall> which) {
		return view.activeCalls().value().all().stream().filter(which).findFirst().orElse(null);
	}

	private static long micros(Instant from, Instant to) {
		return Duration.between(from, to).toNanos() / 1000;
	}

	/** Median, p99 (nearest rank), min and max, in milliseconds. */
	private static String stats(List<Long> micros) {
		List<Long> sorted = new ArrayList<>(micros);
		Collections.sort(sorted);
		long median = sorted.get((sorted.size() - 1) / 2);
		long p99 = sorted.get((int) Math.ceil(0.99 * sorted.size()) - 1);
		return String.format("median %.1f ms, p99 %.1f ms, min %.1f ms, max %.1f ms", median / 1000.0, p99 / 1000.0,
				sorted.get(0) / 1000.0, sorted.get(sorted.size() - 1) / 1000.0);
	}

	private static void report(String line) {
		System.out.println("[EvapiPushIT] " + line);
		Path file = KamailioProcess.repoRoot().resolve("target").resolve("evapi-push-latency.txt");
		try {
			Files.writeString(file, Instant.now() + " " + line + System.lineSeparator(), StandardCharsets.UTF_8,
					StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
