package org.signaling.api.kamailio.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.signaling.api.kamailio.internal.KamailioStateView.Part;
import org.signaling.api.shared.ComponentHealth;
import org.signaling.api.testsupport.MutableClock;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.signaling.api.kamailio.internal.KamailioRpcClientTests.okJson;

/**
 * The push listener against a fake evapi on 127.0.0.1: events refresh the right part of the view, everything is
 * refreshed after each (re)connect, a dropped or garbled connection is reconnected, stop ends it all.
 */
class EvapiListenerTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	@RegisterExtension
	static WireMockExtension kamailio = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	/** What the listener asked to refresh, in order (a named AoR counts as its part too). */
	private final List<Part> refreshed = new CopyOnWriteArrayList<>();

	/** The AoRs register events named, in order. */
	private final List<String> aors = new CopyOnWriteArrayList<>();

	/** What the listener said of its connection, in order. */
	private final List<Boolean> connections = new CopyOnWriteArrayList<>();

	/** The view stands in here: it records what it is told. */
	private final PushHints hints = new PushHints() {

		@Override
		public void refreshSoon(Part part) {
			refreshed.add(part);
		}

		@Override
		public void registrationChanged(String aor) {
			aors.add(aor);
			refreshed.add(Part.REGISTRATIONS);
		}

		@Override
		public void pushConnected(boolean connected) {
			connections.add(connected);
		}

	};

	private FakeEvapi evapi;

	private @Nullable EvapiListener listener;

	private @Nullable EvapiListeners nodes;

	/** Listener threads of other tests' contexts (cached in this JVM): not this test's to end. */
	private Set<Thread> othersListenerThreads = Set.of();

	@BeforeEach
	void startFakeEvapi() throws IOException {
		othersListenerThreads = Set.copyOf(allListenerThreads());
		evapi = new FakeEvapi(0);
	}

	@AfterEach
	void stopAll() {
		if (listener != null) {
			listener.stop();
		}
		if (nodes != null) {
			nodes.stop();
		}
		evapi.close();
	}

	@Test
	void refreshesEveryPartAsSoonAsItConnects() throws Exception {
		EvapiListener listener = start(evapi.address());

		evapi.awaitClient();

		awaitRefreshed(Part.REGISTRATIONS, Part.DIALOGS, Part.DISPATCHER);
		assertThat(listener.status()).isEqualTo(EvapiListener.Status.CONNECTED);
		assertThat(meters.get("signaling.kamailio.push.connected").gauge().value()).isEqualTo(1.0);
	}

	@Test
	void refreshesThePartAnEventNames() throws Exception {
		start(evapi.address());
		evapi.awaitClient();
		awaitRefreshed(Part.REGISTRATIONS, Part.DIALOGS, Part.DISPATCHER);
		refreshed.clear();

		evapi.send("20:{\"event\":\"register\"},18:{\"event\":\"dialog\"},");
		evapi.send("22:{\"event\":\"dispatcher\"},");
		evapi.send("18:{\"event\":\"di");
		evapi.send("alog\"},");

		awaitRefreshed(Part.REGISTRATIONS, Part.DIALOGS, Part.DISPATCHER, Part.DIALOGS);
		assertThat(count("register")).isEqualTo(1);
		assertThat(count("dialog")).isEqualTo(2);
		assertThat(count("dispatcher")).isEqualTo(1);
	}

	@Test
	void aRegisterEventNamesItsAorOnlyWhenItIsADn() throws Exception {
		start(evapi.address());
		evapi.awaitClient();
		awaitRefreshed(Part.REGISTRATIONS, Part.DIALOGS, Part.DISPATCHER);
		refreshed.clear();

		// what the project's kamailio.cfg sends; then what a hostile or foreign config could: markup, a number, an
		// AoR with a domain, one character too long for a DN
		evapi.send(frame("{\"event\":\"register\",\"aor\":\"5001\"}")
				+ frame("{\"event\":\"register\",\"aor\":\"<img src=x>\"}")
				+ frame("{\"event\":\"register\",\"aor\":5002}")
				+ frame("{\"event\":\"register\",\"aor\":\"5003@evil.example\"}")
				+ frame("{\"event\":\"register\",\"aor\":\"" + "7".repeat(65) + "\"}")
				+ frame("{\"event\":\"register\",\"aor\":\"agent.b-7\"}"));

		await().atMost(WAIT).until(() -> refreshed.size() == 6);
		assertThat(aors).as("only DNs are taken as AoRs to read back").containsExactly("5001", "agent.b-7");
		assertThat(count("register")).as("the others still say registrations changed: read whole").isEqualTo(6);
	}

	@Test
	void tellsTheViewWhenPushesFlowAndWhenTheyStop() throws Exception {
		start(evapi.address());
		evapi.awaitClient();
		awaitRefreshed(Part.REGISTRATIONS, Part.DIALOGS, Part.DISPATCHER);
		assertThat(connections).containsExactly(true);

		evapi.dropClient();

		evapi.awaitClient();
		awaitRefreshed(Part.REGISTRATIONS, Part.DIALOGS, Part.DISPATCHER, Part.REGISTRATIONS, Part.DIALOGS,
				Part.DISPATCHER);
		assertThat(connections).containsExactly(true, false, true);
	}

	@Test
	void countsButIgnoresUnknownAndUnreadableEvents() throws Exception {
		start(evapi.address());
		evapi.awaitClient();
		awaitRefreshed(Part.REGISTRATIONS, Part.DIALOGS, Part.DISPATCHER);
		refreshed.clear();

		evapi.send(frame("{\"event\":\"presence\"}") + frame("{\"kind\":\"register\"}") + frame("{\"event\":5}")
				+ frame("[\"register\"]")
				+ frame("{\"event\":\"register\",\"contact\":\"<sip:x>;+sip.instance=\"<urn>\"}")
				+ frame("") + frame("{\"event\":\"register\"}"));

		awaitRefreshed(Part.REGISTRATIONS);
		assertThat(count("other")).isEqualTo(3);
		assertThat(count("invalid")).isEqualTo(3);
		assertThat(count("register")).isEqualTo(1);
		assertThat(evapi.clients()).isEqualTo(1);
	}

	@Test
	void takesTheRealCaptureAsHintsAndNothingElse() throws Exception {
		start(evapi.address());
		evapi.awaitClient();
		awaitRefreshed(Part.REGISTRATIONS, Part.DIALOGS, Part.DISPATCHER);
		refreshed.clear();

		evapi.send(NetstringDecoderTests.capture());

		await().atMost(WAIT).until(() -> refreshed.size() == 33);
		// 5 register, 22 dialog-start/-end/-failed, 6 dispatcher-dst-up/-down; the 2 invalid-JSON registers dropped
		assertThat(refreshed).filteredOn(Part.REGISTRATIONS::equals).hasSize(5);
		assertThat(refreshed).filteredOn(Part.DIALOGS::equals).hasSize(22);
		assertThat(refreshed).filteredOn(Part.DISPATCHER::equals).hasSize(6);
		assertThat(count("invalid")).isEqualTo(2);
		assertThat(evapi.clients()).as("invalid JSON inside a good frame keeps the connection").isEqualTo(1);
	}

	@Test
	void reconnectsAndRefreshesEverythingAfterKamailioDropsTheConnection() throws Exception {
		EvapiListener listener = start(evapi.address());
		evapi.awaitClient();
		awaitRefreshed(Part.REGISTRATIONS, Part.DIALOGS, Part.DISPATCHER);
		refreshed.clear();

		evapi.dropClient();

		evapi.awaitClient();
		awaitRefreshed(Part.REGISTRATIONS, Part.DIALOGS, Part.DISPATCHER);
		assertThat(listener.status()).isEqualTo(EvapiListener.Status.CONNECTED);
		assertThat(evapi.clients()).isEqualTo(2);
		refreshed.clear();
		evapi.send(frame("{\"event\":\"dialog\"}"));
		awaitRefreshed(Part.DIALOGS);
	}

	@Test
	void dropsAGarbledConnectionAndReconnects() throws Exception {
		start(evapi.address());
		evapi.awaitClient();
		awaitRefreshed(Part.REGISTRATIONS, Part.DIALOGS, Part.DISPATCHER);
		refreshed.clear();

		evapi.send("20:{\"event\":\"register\"}, 18:{\"event\":\"dialog\"},");

		assertThat(evapi.awaitClosedByListener()).isTrue();
		evapi.awaitClient();
		awaitRefreshed(Part.REGISTRATIONS, Part.REGISTRATIONS, Part.DIALOGS, Part.DISPATCHER);
		assertThat(count("malformed")).isEqualTo(1);
		assertThat(count("dialog")).isZero();
	}

	@Test
	void dropsAConnectionThatAnnouncesAnOversizedFrame() throws Exception {
		start(evapi.address());
		evapi.awaitClient();

		evapi.send((EvapiListener.MAX_FRAME + 1) + ":");

		assertThat(evapi.awaitClosedByListener()).isTrue();
		evapi.awaitClient();
		assertThat(count("malformed")).isEqualTo(1);
	}

	@Test
	void keepsTryingUntilKamailioListens() throws Exception {
		int port = evapi.port();
		evapi.close();
		EvapiListener listener = start("127.0.0.1:" + port);
		await().atMost(WAIT).until(() -> listener.status() == EvapiListener.Status.DISCONNECTED);
		assertThat(refreshed).isEmpty();
		assertThat(meters.get("signaling.kamailio.push.connected").gauge().value()).isZero();

		evapi = new FakeEvapi(port);

		evapi.awaitClient();
		awaitRefreshed(Part.REGISTRATIONS, Part.DIALOGS, Part.DISPATCHER);
		assertThat(listener.status()).isEqualTo(EvapiListener.Status.CONNECTED);
	}

	@Test
	void stopClosesTheConnectionAndEndsTheThread() throws Exception {
		EvapiListener listener = start(evapi.address());
		evapi.awaitClient();
		awaitRefreshed(Part.REGISTRATIONS, Part.DIALOGS, Part.DISPATCHER);

		listener.stop();

		assertThat(listener.isRunning()).isFalse();
		assertThat(evapi.awaitClosedByListener()).isTrue();
		assertThat(listener.status()).isEqualTo(EvapiListener.Status.DISCONNECTED);
		assertThat(liveListenerThreads()).isEmpty();
		assertThat(evapi.clients()).isEqualTo(1);
	}

	@Test
	void stopEndsTheThreadWhileWaitingToReconnect() {
		int port = evapi.port();
		evapi.close();
		EvapiListener listener = start("127.0.0.1:" + port);
		await().atMost(WAIT).until(() -> listener.status() == EvapiListener.Status.DISCONNECTED);

		listener.stop();

		assertThat(listener.isRunning()).isFalse();
		assertThat(liveListenerThreads()).isEmpty();
	}

	@Test
	void isOffWithoutAnAddress() {
		EvapiListener listener = new EvapiListener(null, hints, KamailioFixtures.JSON, Duration.ofSeconds(1),
				meters);

		listener.start();

		assertThat(listener.isRunning()).isFalse();
		assertThat(listener.status()).isEqualTo(EvapiListener.Status.DISABLED);
		assertThat(meters.find("signaling.kamailio.push.connected").gauge()).isNull();
		assertThat(new EvapiListener("", hints, KamailioFixtures.JSON, Duration.ofSeconds(1), meters).status())
			.isEqualTo(EvapiListener.Status.DISABLED);
	}

	@Test
	void readsIpv6AndHostNameAddresses() {
		assertThat(new EvapiListener("[::1]:8448", hints, KamailioFixtures.JSON, Duration.ofSeconds(1),
				new SimpleMeterRegistry())
			.address()).isEqualTo("[::1]:8448");
		assertThat(new EvapiListener("kamailio.lab:8448", hints, KamailioFixtures.JSON, Duration.ofSeconds(1),
				new SimpleMeterRegistry())
			.address()).isEqualTo("kamailio.lab:8448");
	}

	@Test
	void healthShowsPushButStaysUpWithoutIt() throws Exception {
		stubKamailio();
		var properties = KamailioTestSupport.properties(kamailio.baseUrl() + "/RPC");
		MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
		KamailioStateView view = new KamailioStateView(KamailioTestSupport.client(properties), properties, clock,
				new SimpleMeterRegistry());
		EvapiListeners push = new EvapiListeners(List.of(evapi.address()), hints, KamailioFixtures.JSON,
				Duration.ofSeconds(1), meters);
		nodes = push;
		push.start();
		KamailioHealthIndicator health = new KamailioHealthIndicator(view, properties, push);
		// Kamailio answers (a refresh that timed out on a loaded machine is simply done again): the view is up
		await("Kamailio's view up").atMost(WAIT).until(() -> {
			view.refresh();
			return health.componentHealth().status() == ComponentHealth.Status.UP;
		});
		evapi.awaitClient();
		await().atMost(WAIT).until(() -> push.status() == EvapiListener.Status.CONNECTED);

		assertThat(health.componentHealth().details()).containsEntry("push", "connected")
			.doesNotContainKey("pushNodes");

		evapi.close();
		await().atMost(WAIT).until(() -> push.status() == EvapiListener.Status.DISCONNECTED);
		ComponentHealth withoutPush = health.componentHealth();
		assertThat(withoutPush.status()).isEqualTo(ComponentHealth.Status.UP);
		assertThat(withoutPush.details()).containsEntry("push", "disconnected");
		assertThat(new KamailioHealthIndicator(view, properties).componentHealth().details()).containsEntry("push",
				"disabled");
	}

	@Test
	void withTwoNodesEachOnesPushesReachTheViewWhichReadsOnlyWhatIsPushedWhileBothAreConnected() throws Exception {
		try (FakeEvapi second = new FakeEvapi(0)) {
			EvapiListeners push = new EvapiListeners(List.of(evapi.address(), second.address()), hints,
					KamailioFixtures.JSON, Duration.ofSeconds(1), meters);
			nodes = push;
			push.start();
			evapi.awaitClient();
			second.awaitClient();
			await().atMost(WAIT).until(() -> push.status() == EvapiListener.Status.CONNECTED);
			assertThat(connections).as("connected only once both are").endsWith(true).contains(false);

			// a registration saved on the second node is pushed by that node only
			second.send(frame("{\"event\":\"register\",\"aor\":\"5002\"}"));
			await().atMost(WAIT).until(() -> aors.contains("5002"));
			assertThat(meters.get("signaling.kamailio.push.events").tags("event", "register", "node", second.address())
				.counter().count()).isOne();

			second.dropClient();
			await().atMost(WAIT).until(() -> push.status() == EvapiListener.Status.DISCONNECTED);
			assertThat(connections).as("one node lost: the view reads the whole table again").endsWith(false);
			assertThat(push.statusByNode()).containsExactly(Map.entry(evapi.address(), "connected"),
					Map.entry(second.address(), "disconnected"));
			assertThat(meters.get("signaling.kamailio.push.connected").tag("node", second.address()).gauge().value())
				.isZero();
		}
	}

	private EvapiListener start(String address) {
		EvapiListener started = new EvapiListener(address, hints, KamailioFixtures.JSON,
				Duration.ofSeconds(1), Duration.ofMillis(20), Duration.ofMillis(200), meters);
		listener = started;
		started.start();
		return started;
	}

	private void awaitRefreshed(Part... parts) {
		await().atMost(WAIT).untilAsserted(() -> assertThat(refreshed).containsExactly(parts));
	}

	private double count(String event) {
		return meters.get("signaling.kamailio.push.events").tag("event", event).counter().count();
	}

	/** This test's listener threads still alive. */
	private List<Thread> liveListenerThreads() {
		return allListenerThreads().stream().filter((thread) -> !othersListenerThreads.contains(thread)).toList();
	}

	private static List<Thread> allListenerThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals("kamailio-evapi") && thread.isAlive())
			.toList();
	}

	private static String frame(String payload) {
		return payload.getBytes(StandardCharsets.UTF_8).length + ":" + payload + ",";
	}

	private void stubKamailio() {
		stubMethod("ul.dump", "ul.dump-two-registered.json");
		stubMethod("dlg.list", "dlg.list-two-confirmed.json");
		stubMethod("dispatcher.list", "dispatcher.list-up.json");
	}

	private void stubMethod(String method, String fixture) {
		kamailio.stubFor(post("/RPC").withRequestBody(matchingJsonPath("$.method", equalTo(method)))
			.willReturn(okJson(fixture)));
	}

	/** A stand-in for Kamailio's evapi: accepts clients on 127.0.0.1, sends them raw bytes, drops them. */
	static final class FakeEvapi implements AutoCloseable {

		private final ServerSocket server;

		private final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();

		private final List<Socket> all = new CopyOnWriteArrayList<>();

		private final Thread acceptor;

		private @Nullable Socket current;

		FakeEvapi(int port) throws IOException {
			server = new ServerSocket();
			server.setReuseAddress(true);
			server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
			acceptor = new Thread(this::acceptAll, "fake-evapi");
			acceptor.setDaemon(true);
			acceptor.start();
		}

		private void acceptAll() {
			while (!server.isClosed()) {
				try {
					Socket client = server.accept();
					all.add(client);
					accepted.add(client);
				}
				catch (IOException ex) {
					return;
				}
			}
		}

		int port() {
			return server.getLocalPort();
		}

		String address() {
			return "127.0.0.1:" + port();
		}

		/** Waits for the next client and makes it the one {@link #send} writes to. */
		void awaitClient() throws InterruptedException {
			Socket next = accepted.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(next).as("a client connected").isNotNull();
			current = next;
		}

		int clients() {
			return all.size();
		}

		void send(String raw) throws IOException {
			send(raw.getBytes(StandardCharsets.UTF_8));
		}

		void send(byte[] raw) throws IOException {
			assertThat(current).as("a connected client").isNotNull();
			OutputStream out = current.getOutputStream();
			out.write(raw);
			out.flush();
		}

		void dropClient() throws IOException {
			assertThat(current).as("a connected client").isNotNull();
			current.close();
			current = null;
		}

		/** Whether the current client closed its end (read sees end of stream), within the wait. */
		boolean awaitClosedByListener() throws IOException {
			assertThat(current).as("a connected client").isNotNull();
			current.setSoTimeout((int) WAIT.toMillis());
			InputStream in = current.getInputStream();
			try {
				while (true) {
					if (in.read() == -1) {
						return true;
					}
				}
			}
			catch (SocketTimeoutException ex) {
				return false;
			}
			catch (IOException ex) {
				// reset by the peer: closed as well
				return true;
			}
		}

		@Override
		public void close() {
			List<Closeable> sockets = new ArrayList<>(all);
			sockets.add(server);
			for (Closeable socket : sockets) {
				try {
					socket.close();
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}
			try {
				acceptor.join(WAIT.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
