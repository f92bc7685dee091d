package org.signaling.api.asterisk.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.asteriskjava.manager.action.PingAction;
import org.asteriskjava.manager.event.ConnectEvent;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.NewChannelEvent;
import org.asteriskjava.manager.response.ManagerResponse;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.signaling.api.asterisk.AsteriskProperties;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.ComponentHealth;
import org.signaling.api.testsupport.ami.AmiMessage;
import org.signaling.api.testsupport.ami.AmiServerDouble;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link AmiConnection} and {@link AsteriskHealthIndicator} driving the real asterisk-java client against
 * {@link AmiServerDouble} on loopback.
 */
@ExtendWith(OutputCaptureExtension.class)
class AmiConnectionTests {

	private static final String USER = "signaling-api";

	private static final String SECRET = "Sup3r-s3cret-AMI-pw";

	private final List<AmiConnection> started = new ArrayList<>();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private AmiServerDouble ami;

	@BeforeEach
	void startAsteriskDouble() throws IOException {
		ami = AmiServerDouble.start(USER, SECRET);
	}

	@AfterEach
	void stopEverything() {
		started.forEach(AmiConnection::stop);
		ami.close();
	}

	@Test
	void connectsInTheBackgroundAndReportsUpWithDetails() throws Exception {
		AmiConnection connection = start(properties());

		eventually().until(() -> connection.status().isConnected());
		// FullyBooted, sent right after login, is the first AMI event
		eventually().until(() -> connection.status().lastEventAt() != null);

		Health health = healthOf(connection).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("server", "127.0.0.1:" + ami.port())
			.containsEntry("state", "CONNECTED")
			.containsKeys("connectedSince", "lastEventAgeMs")
			.doesNotContainKey("lastError");
		assertThat(meters.get("signaling.asterisk.connected").gauge().value()).isEqualTo(1.0);
		assertThat(ami.receivedActions("Login")).singleElement()
			.satisfies(login -> assertThat(login.get("AuthType")).isEqualToIgnoringCase("MD5"));
		ManagerResponse pong = connection.requireConnected().sendAction(new PingAction());
		assertThat(pong.getResponse()).isEqualTo("Success");
	}

	@Test
	void startReturnsWhileLoginIsStillInProgress() throws Exception {
		CountDownLatch challengeReleased = new CountDownLatch(1);
		ami.onAction("Challenge", (session, action) -> {
			try {
				challengeReleased.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			session.success(action, "Challenge", session.challenge());
		});

		AmiConnection connection = start(properties().withResponseTimeout(Duration.ofSeconds(5)));

		// start() did not wait for the login: the challenge is still held back
		assertThat(connection.isRunning()).isTrue();
		assertThat(connection.status().state()).isEqualTo(AmiConnectionState.CONNECTING);
		assertThat(healthOf(connection).health().getStatus()).isEqualTo(Status.DOWN);

		challengeReleased.countDown();
		eventually().until(() -> connection.status().isConnected());
	}

	@Test
	void retriesFirstLoginUntilAsteriskComesUp() throws Exception {
		ami.stopListening();

		AmiConnection connection = start(properties());

		eventually().until(() -> loginFailures() >= 2);
		ComponentHealth down = healthOf(connection).componentHealth();
		assertThat(down.status()).isEqualTo(ComponentHealth.Status.DOWN);
		assertThat(down.lastError()).startsWith("Login failed: ").containsIgnoringCase("refused");
		assertThat(down.details().get("state")).isIn("DOWN", "CONNECTING");
		assertThat(meters.get("signaling.asterisk.connected").gauge().value()).isZero();

		ami.startListening();

		eventually().until(() -> connection.status().isConnected());
		ComponentHealth up = healthOf(connection).componentHealth();
		assertThat(up.status()).isEqualTo(ComponentHealth.Status.UP);
		// kept after recovery, so an operator can see what happened
		assertThat(up.lastError()).containsIgnoringCase("refused");
		assertThat(meters.get("signaling.asterisk.connected").gauge().value()).isEqualTo(1.0);
	}

	@Test
	void reconnectsAfterServerDropsConnection() {
		List<ManagerEvent> events = new CopyOnWriteArrayList<>();
		AmiConnection connection = newConnection(properties());
		connection.addEventListener(events::add);
		connection.start();
		eventually().until(() -> connection.status().isConnected());

		ami.dropAllConnections();

		eventually().until(() -> reconnects() == 1 && connection.status().isConnected()
				&& ami.receivedActions("Login").size() == 2);
		assertThat(connection.status().lastError()).isEqualTo("Connection to Asterisk lost");
		eventually().untilAsserted(() -> assertThat(events).filteredOn(e -> e instanceof ConnectEvent
				|| e instanceof DisconnectEvent)
			.extracting(e -> e.getClass().getSimpleName())
			.containsExactly("ConnectEvent", "DisconnectEvent", "ConnectEvent"));
		assertThat(loginFailures()).isZero();
	}

	@Test
	void reportsReconnectingWhileAsteriskIsDownThenRecovers() throws Exception {
		AmiConnection connection = start(properties());
		eventually().until(() -> connection.status().isConnected());

		ami.stopListening();

		eventually().until(() -> connection.status().state() == AmiConnectionState.RECONNECTING);
		Health health = healthOf(connection).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("state", "RECONNECTING")
			.containsEntry("lastError", "Connection to Asterisk lost")
			.doesNotContainKey("connectedSince");
		assertThatThrownBy(connection::requireConnected).isInstanceOf(BackendUnavailableException.class)
			.hasMessageContaining("reconnecting");

		ami.startListening();

		eventually().until(() -> connection.status().isConnected());
		assertThat(reconnects()).isEqualTo(1.0);
	}

	@Test
	void reportsDownWithLastErrorWhenCredentialsAreRejected() {
		AmiConnection connection = start(properties().withPassword("not-the-secret"));

		eventually().until(() -> loginFailures() >= 2);
		ComponentHealth health = healthOf(connection).componentHealth();
		assertThat(health.status()).isEqualTo(ComponentHealth.Status.DOWN);
		assertThat(health.lastError()).isEqualTo("Login failed: Authentication failed");
		assertThat(health.lastErrorAt()).isNotNull();

		// it keeps trying, so fixing the credentials on Asterisk's side is enough
		ami.setSecret("not-the-secret");
		eventually().until(() -> connection.status().isConnected());
	}

	@Test
	void neverConnectsWhenHostNotConfigured() {
		for (String host : new String[] { null, "", "  " }) {
			AmiConnection connection = newConnection(properties().withHost(host).build(), new SimpleMeterRegistry());
			connection.start();

			assertThat(connection.isRunning()).isTrue();
			assertThat(connection.isConfigured()).isFalse();
			assertThat(connection.status().state()).isEqualTo(AmiConnectionState.NOT_CONFIGURED);
			ComponentHealth health = healthOf(connection).componentHealth();
			assertThat(health.status()).isEqualTo(ComponentHealth.Status.NOT_CONFIGURED);
			assertThat(healthOf(connection).health().getStatus().getCode()).isEqualTo("NOT_CONFIGURED");
			assertThatThrownBy(connection::requireConnected).isInstanceOf(BackendUnavailableException.class)
				.hasMessage("Asterisk is not configured");
			connection.stop();
			assertThat(connection.status().state()).isEqualTo(AmiConnectionState.NOT_CONFIGURED);
		}
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
			.until(() -> ami.acceptedConnections() == 0);
	}

	@Test
	void passwordNeverAppearsInHealthOrToString(CapturedOutput output) {
		AsteriskProperties rejected = properties().withPassword(SECRET + "-old").build();
		AmiConnection failing = start(rejected);
		eventually().until(() -> loginFailures() >= 1);
		String failingHealth = healthOf(failing).health().toString() + healthOf(failing).componentHealth();
		failing.stop();

		AsteriskProperties accepted = properties().build();
		AmiConnection working = newConnection(accepted, new SimpleMeterRegistry());
		working.start();
		eventually().until(() -> working.status().isConnected());
		String workingHealth = healthOf(working).health().toString() + healthOf(working).componentHealth();

		assertThat(List.of(rejected.toString(), accepted.toString(), failingHealth, workingHealth,
				failing.status().toString(), working.status().toString()))
			.allSatisfy(text -> assertThat(text).doesNotContain(SECRET));
		assertThat(accepted.toString()).contains("password=******");
		// on the wire only the MD5 key travels; neither it nor the secret is ever logged
		List<String> keys = ami.receivedActions("Login").stream().map(login -> login.get("Key")).toList();
		assertThat(keys).hasSizeGreaterThanOrEqualTo(2).doesNotContainNull();
		assertThat(ami.receivedMessages()).allSatisfy(message -> assertThat(message.raw()).doesNotContain(SECRET));
		assertThat(output.getAll()).doesNotContain(SECRET);
		keys.forEach(key -> assertThat(output.getAll()).doesNotContain(key));
	}

	@Test
	void stopLogsOffAndReportsStopped() {
		AmiConnection connection = start(properties());
		eventually().until(() -> connection.status().isConnected());

		connection.stop();

		assertThat(connection.isRunning()).isFalse();
		assertThat(ami.receivedActions("Logoff")).hasSize(1);
		assertThat(connection.status().state()).isEqualTo(AmiConnectionState.STOPPED);
		assertThat(healthOf(connection).health().getStatus()).isEqualTo(Status.DOWN);
		assertThat(meters.get("signaling.asterisk.connected").gauge().value()).isZero();
		eventually().until(() -> ami.openSessions().isEmpty());
		assertThatThrownBy(connection::requireConnected).isInstanceOf(BackendUnavailableException.class);
	}

	@Test
	void stopEndsTheFirstLoginRetries() throws Exception {
		ami.stopListening();
		AmiConnection connection = start(properties());
		eventually().until(() -> loginFailures() >= 1);

		connection.stop();
		ami.startListening();

		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
			.until(() -> ami.acceptedConnections() == 0);
		assertThat(connection.status().state()).isEqualTo(AmiConnectionState.STOPPED);
	}

	@Test
	void restartsAfterStopWithTheSameListeners() {
		List<ManagerEvent> events = new CopyOnWriteArrayList<>();
		AmiConnection connection = newConnection(properties());
		connection.addEventListener(events::add);
		connection.start();
		eventually().until(() -> connection.status().isConnected());
		connection.stop();

		connection.start();

		eventually().until(() -> connection.status().isConnected());
		eventually().until(() -> events.stream().filter(ConnectEvent.class::isInstance).count() == 2);
		assertThat(ami.receivedActions("Login")).hasSize(2);
	}

	@Test
	void reconnectsWhenPingsGoUnanswered() {
		// read timeout = 2 x 100 ms: a peer that stops answering counts as gone
		AmiConnection connection = start(properties().withPingInterval(Duration.ofMillis(100)));
		eventually().until(() -> connection.status().isConnected());
		eventually().until(() -> !ami.receivedActions("Ping").isEmpty());

		ami.neverAnswer("Ping");

		eventually().until(() -> reconnects() >= 1);
		ami.answerAgain("Ping");
		eventually().until(() -> connection.status().isConnected());
	}

	@Test
	void staysConnectedWhileServerAnswersPings() {
		AmiConnection connection = start(properties().withPingInterval(Duration.ofMillis(300)));
		eventually().until(() -> connection.status().isConnected());

		await().during(Duration.ofMillis(1500))
			.atMost(Duration.ofSeconds(5))
			.until(() -> connection.status().isConnected() && reconnects() == 0);
		assertThat(ami.receivedActions("Ping")).hasSizeGreaterThanOrEqualTo(2);
	}

	@Test
	void listenersReceiveEventsOffThePumpThreadAcrossReconnects() {
		List<String> seen = new CopyOnWriteArrayList<>();
		AmiConnection connection = newConnection(properties());
		connection.addEventListener(event -> {
			if (event instanceof NewChannelEvent channel) {
				seen.add(channel.getUniqueId() + "@" + Thread.currentThread().getName());
			}
		});
		connection.start();
		eventually().until(() -> connection.status().isConnected());

		ami.pushEvent(newChannel("c2d-1"));
		eventually().until(() -> seen.size() == 1);
		ami.dropAllConnections();
		eventually().until(() -> reconnects() == 1 && connection.status().isConnected());
		ami.pushEvent(newChannel("c2d-2"));

		eventually().until(() -> seen.size() == 2);
		assertThat(seen).satisfiesExactly(first -> assertThat(first).startsWith("c2d-1@ami-events-"),
				second -> assertThat(second).startsWith("c2d-2@ami-events-"));
	}

	@Test
	void slowListenerDoesNotBlockActionResponses() throws Exception {
		CountDownLatch listenerEntered = new CountDownLatch(1);
		CountDownLatch listenerReleased = new CountDownLatch(1);
		AmiConnection connection = newConnection(properties());
		connection.addEventListener(event -> {
			if (event instanceof NewChannelEvent) {
				listenerEntered.countDown();
				try {
					listenerReleased.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		});
		connection.start();
		eventually().until(() -> connection.status().isConnected());
		ami.pushEvent(newChannel("c2d-slow"));
		assertThat(listenerEntered.await(10, TimeUnit.SECONDS)).isTrue();

		try {
			// would time out if listeners ran on asterisk-java's pump thread
			ManagerResponse pong = connection.requireConnected().sendAction(new PingAction(), 5_000);
			assertThat(pong.getResponse()).isEqualTo("Success");
		}
		finally {
			listenerReleased.countDown();
		}
	}

	@Test
	void countsLoginFailuresAndReconnects() throws Exception {
		ami.stopListening();
		AmiConnection connection = start(properties());
		assertThat(meters.get("signaling.asterisk.connected").gauge().value()).isZero();
		eventually().until(() -> loginFailures() >= 1);

		ami.startListening();
		eventually().until(() -> connection.status().isConnected());
		double failuresWhenUp = loginFailures();
		ami.dropAllConnections();
		eventually().until(() -> reconnects() == 1 && connection.status().isConnected());

		assertThat(loginFailures()).isEqualTo(failuresWhenUp);
		assertThat(meters.get("signaling.asterisk.events.dropped").counter().count()).isZero();
		assertThat(meters.get("signaling.asterisk.connected").gauge().value()).isEqualTo(1.0);
	}

	// --- helpers

	private static ConditionFactory eventually() {
		return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20));
	}

	private TestProperties properties() {
		return new TestProperties("127.0.0.1", ami.port(), USER, SECRET, Duration.ofSeconds(2), Duration.ofSeconds(20));
	}

	private AmiConnection start(TestProperties properties) {
		return start(properties.build());
	}

	private AmiConnection start(AsteriskProperties properties) {
		AmiConnection connection = newConnection(properties, meters);
		connection.start();
		return connection;
	}

	private AmiConnection newConnection(TestProperties properties) {
		return newConnection(properties.build(), meters);
	}

	private AmiConnection newConnection(AsteriskProperties properties, SimpleMeterRegistry registry) {
		AmiConnection connection = new AmiConnection(properties.server(), properties, registry, Clock.systemUTC());
		started.add(connection);
		return connection;
	}

	private static AsteriskHealthIndicator healthOf(AmiConnection connection) {
		return new AsteriskHealthIndicator(new AmiConnections(List.of(connection)), Clock.systemUTC());
	}

	private double loginFailures() {
		return meters.get("signaling.asterisk.login.failures").counter().count();
	}

	private double reconnects() {
		return meters.get("signaling.asterisk.reconnects").counter().count();
	}

	private static AmiMessage newChannel(String uniqueId) {
		return AmiMessage.event("Newchannel")
			.with("Privilege", "call,all")
			.with("Channel", "PJSIP/5001-00000007")
			.with("ChannelState", "0")
			.with("ChannelStateDesc", "Down")
			.with("CallerIDNum", "5001")
			.with("CallerIDName", "<unknown>")
			.with("Context", "c2d-outbound")
			.with("Exten", "5551234567")
			.with("Priority", "1")
			.with("Uniqueid", uniqueId)
			.with("Linkedid", uniqueId);
	}

	/** Short backoffs keep retries quick; timeouts stay realistic unless a test changes them. */
	private record TestProperties(String host, int port, String username, String password, Duration responseTimeout,
			Duration pingInterval) {

		TestProperties withHost(String newHost) {
			return new TestProperties(newHost, port, username, password, responseTimeout, pingInterval);
		}

		TestProperties withPassword(String newPassword) {
			return new TestProperties(host, port, username, newPassword, responseTimeout, pingInterval);
		}

		TestProperties withResponseTimeout(Duration timeout) {
			return new TestProperties(host, port, username, password, timeout, pingInterval);
		}

		TestProperties withPingInterval(Duration interval) {
			return new TestProperties(host, port, username, password, responseTimeout, interval);
		}

		AsteriskProperties build() {
			return new AsteriskProperties(host, port, username, password, Duration.ofSeconds(1), responseTimeout,
					pingInterval, Duration.ofMillis(50), Duration.ofMillis(200), "PJSIP/{dn}@kamailio", "click-to-dial",
					1, List.of());
		}

		@Override
		public String toString() {
			return Map.of("host", String.valueOf(host), "port", port).toString();
		}

	}

}
