package org.signaling.api.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.testsupport.TestCredentials;
import org.signaling.api.testsupport.TestTls;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an agent is told when the softphone cannot work, in real headless Chromium: the microphone refused (every
 * permission prompt answered "Block"), and Kamailio's WebSocket not answering. Neither needs a
 * Kamailio: the service's pages and their configuration are enough, and the WebSocket URL points at a closed port.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AgentMessagesIT {

	static {
		LoopbackNamespace.assertOnlyLoopback();
	}

	static final Duration BOUND = Duration.ofSeconds(30);

	static final TestTls TLS = TestTls.create();

	@LocalServerPort
	int port;

	Chromium browser;

	@DynamicPropertySource
	static void pages(DynamicPropertyRegistry registry) {
		registry.add("server.ssl.key-store", TLS::keystoreLocation);
		registry.add("server.ssl.key-store-password", () -> TestTls.PASSWORD);
		registry.add("signaling.kamailio.rpc-url", () -> "http://127.0.0.1:9/RPC");
		registry.add("signaling.kamailio.sip-domain", () -> "127.0.0.1");
		registry.add("signaling.genesys.server", () -> "127.0.0.1:9");
		registry.add("signaling.pages.websocket-url", () -> "ws://127.0.0.1:" + closedPort());
		// the service issues SIP credentials, so the page gets as far as the registrar
		registry.add("signaling.sip-auth.secret", () -> TestCredentials.SIP_AUTH_SECRET);
	}

	@AfterEach
	void close() {
		if (browser != null) {
			browser.close();
		}
	}

	@Test
	void aRefusedMicrophoneIsSaidAndTheAgentIsNotRegistered() {
		browser = Chromium.launchRefusingMicrophone("agent-no-microphone");
		AgentPage agent = AgentPage.open(browser, baseUrl(), "5001");

		agent.signIn(TestCredentials.agentToken(agent.dn()));

		await("the microphone message").atMost(BOUND)
			.untilAsserted(() -> assertThat(agent.message()).contains("Microphone access was denied"));
		assertThat(agent.registration()).isEqualTo("unregistered");
		assertThat(agent.sipLog()).as("no REGISTER without a microphone").isEmpty();
	}

	@Test
	void aRegistrarThatCannotBeReachedIsSaid() {
		browser = Chromium.launch("agent-no-registrar");
		AgentPage agent = AgentPage.open(browser, baseUrl(), "5001");

		agent.signIn(TestCredentials.agentToken(agent.dn()));

		await("the registration failure").atMost(BOUND).untilAsserted(() -> {
			assertThat(agent.registration()).isEqualTo("failed");
			assertThat(agent.message())
				.startsWith("Registration failed: Kamailio cannot be reached at ws://127.0.0.1:");
		});
		browser.screenshot("agent-registration-failed");
	}

	private String baseUrl() {
		return "https://localhost:" + port;
	}

	/** A loopback port nothing listens on (taken, then released). */
	private static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
