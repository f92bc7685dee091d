package org.signaling.api.asterisk;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.asterisk.internal.AmiConnection;
import org.signaling.api.asterisk.internal.AmiConnections;
import org.signaling.api.asterisk.internal.AmiPbx;
import org.signaling.api.asterisk.internal.AsteriskHealthIndicator;
import org.signaling.api.call.OriginateCommand;
import org.signaling.api.call.Pbx;
import org.signaling.api.call.PbxEvent;
import org.signaling.api.shared.BackendHealth;
import org.signaling.api.shared.ChildSpans;
import org.signaling.api.testsupport.ami.AmiServerDouble;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The adapter's beans in a Spring context: started on refresh, logged off on close, health under "asterisk", the
 * {@link Pbx} port with its events published to the context.
 */
class AsteriskContextTests {

	private AmiServerDouble ami;

	private ApplicationContextRunner runner;

	@BeforeEach
	void start() throws IOException {
		ami = AmiServerDouble.start("signaling-api", "ctx-secret");
		runner = new ApplicationContextRunner().withUserConfiguration(AsteriskBeans.class)
			.withPropertyValues("signaling.asterisk.host=" + ami.host(), "signaling.asterisk.port=" + ami.port(),
					"signaling.asterisk.username=signaling-api", "signaling.asterisk.password=ctx-secret",
					"signaling.asterisk.reconnect-initial-backoff=50ms",
					"signaling.asterisk.reconnect-max-backoff=200ms");
	}

	@AfterEach
	void close() {
		ami.close();
	}

	@Test
	void connectsWhenTheContextStartsAndLogsOffWhenItCloses() {
		runner.run(context -> {
			assertThat(context).hasNotFailed();
			AmiConnection connection = context.getBean(AmiConnections.class).all().get(0);
			await().atMost(Duration.ofSeconds(10)).until(() -> connection.status().isConnected());

			assertThat(context).hasBean("asteriskHealthIndicator");
			BackendHealth health = context.getBean("asteriskHealthIndicator", BackendHealth.class);
			assertThat(health.backend()).isEqualTo("asterisk");
			assertThat(context.getBean("asteriskHealthIndicator", HealthIndicator.class).health().getStatus())
				.isEqualTo(Status.UP);
			assertThat(context.getBean(MeterRegistry.class).get("signaling.asterisk.connected").gauge().value())
				.isEqualTo(1.0);
		});

		assertThat(ami.receivedActions("Logoff")).hasSize(1);
	}

	@Test
	void providesThePbxPortAndPublishesItsEventsToTheContext() {
		runner.run(context -> {
			assertThat(context).hasSingleBean(Pbx.class).hasBean("amiPbx");
			PbxEvents events = context.getBean(PbxEvents.class);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> events.received.stream().anyMatch(PbxEvent.Reconnected.class::isInstance));

			context.getBean(Pbx.class).originate(new OriginateCommand("call-0123456789abcdef0123456789abcdef",
					"5001", "5551234567", null, Duration.ofSeconds(30), false));

			await().atMost(Duration.ofSeconds(10))
				.until(() -> events.received.stream().anyMatch(PbxEvent.LegBridged.class::isInstance));
		});
	}

	@Test
	void startsWithoutWaitingWhenAsteriskIsDown() {
		ami.stopListening();

		runner.run(context -> {
			assertThat(context).hasNotFailed();
			AmiConnection connection = context.getBean(AmiConnections.class).all().get(0);
			assertThat(connection.isRunning()).isTrue();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> context.getBean(MeterRegistry.class)
					.get("signaling.asterisk.login.failures")
					.counter()
					.count() >= 1);
			assertThat(context.getBean(HealthIndicator.class).health().getStatus()).isEqualTo(Status.DOWN);
		});
	}

	@Test
	void startsWithoutAsteriskWhenHostIsNotSet() {
		new ApplicationContextRunner().withUserConfiguration(AsteriskBeans.class).run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(HealthIndicator.class).health().getStatus().getCode())
				.isEqualTo("NOT_CONFIGURED");
		});
		assertThat(ami.acceptedConnections()).isZero();
	}

	/** Collects the PBX events published in the context. */
	static class PbxEvents {

		final List<PbxEvent> received = new CopyOnWriteArrayList<>();

		@EventListener
		void on(PbxEvent event) {
			received.add(event);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(AsteriskProperties.class)
	@Import({ AmiConnections.class, AsteriskHealthIndicator.class, AmiPbx.class, PbxEvents.class, ChildSpans.class })
	static class AsteriskBeans {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		Clock clock() {
			return Clock.systemUTC();
		}

	}

}
