package org.signaling.api.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.signaling.api.testsupport.ApiClient;
import org.signaling.api.testsupport.FreePorts;
import org.signaling.api.testsupport.KamailioProcess;
import org.signaling.api.testsupport.LiveService;
import org.signaling.api.testsupport.TestCredentials;
import org.signaling.api.testsupport.TestTls;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A browser agent registers over secure WebSocket ({@code wss://}): what agents on other machines need, since an https
 * page may open {@code ws://} only to loopback. Kamailio runs the project's kamailio.cfg with its optional TLS
 * listener ({@code WSS_PORT}, a certificate made by openssl for the test); the page's configuration points at it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SecureWebSocketIT {

	static {
		LoopbackNamespace.assertOnlyLoopback();
	}

	static final Duration BOUND = Duration.ofSeconds(30);

	static final TestTls TLS = TestTls.create();

	static final int WSS_PORT = FreePorts.tcp();

	static final Path PEM_DIR = pemCertificate();

	static final KamailioProcess KAMAILIO = KamailioProcess.start("127.0.0.1:9", "WSS_PORT=" + WSS_PORT,
			"TLS_CERTIFICATE=\"" + PEM_DIR.resolve("cert.pem") + "\"",
			"TLS_PRIVATE_KEY=\"" + PEM_DIR.resolve("key.pem") + "\"");

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		LiveService.register(registry, TLS, KAMAILIO, "127.0.0.1:9");
		registry.add("signaling.pages.websocket-url", () -> "wss://127.0.0.1:" + WSS_PORT);
		registry.add("signaling.pages.sip-domain", () -> "127.0.0.1");
	}

	@AfterAll
	static void stop() {
		KAMAILIO.close();
	}

	@Test
	void anAgentRegistersOverSecureWebSocket() {
		try (Chromium browser = Chromium.launch("agent-wss")) {
			AgentPage agent = AgentPage.open(browser, "https://localhost:" + port, "5001");

			agent.signIn(TestCredentials.agentToken(agent.dn()));

			await("registered over wss").atMost(BOUND)
				.untilAsserted(() -> assertThat(agent.registration()).isEqualTo("registered"));
			ApiClient api = new ApiClient("https://localhost:" + port, TLS.clientContext());
			await("5001 available in the API").atMost(BOUND).untilAsserted(() -> {
				ApiClient.Response dn = api.get("/api/dn/5001");
				assertThat(dn.status()).isEqualTo(200);
				assertThat(dn.json().path("status").asString()).isEqualTo("available");
			});
		}
	}

	/** A self-signed EC certificate for 127.0.0.1 and its key, as PEM files Kamailio's tls module reads. */
	private static Path pemCertificate() {
		try {
			Path dir = Files.createTempDirectory("kamailio-tls");
			Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
					"ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
					"subjectAltName=IP:127.0.0.1", "-keyout", dir.resolve("key.pem").toString(), "-out",
					dir.resolve("cert.pem").toString())
				.redirectErrorStream(true)
				.redirectOutput(dir.resolve("openssl.log").toFile())
				.start();
			if (!openssl.waitFor(30, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
				throw new IllegalStateException("openssl failed: " + Files.readString(dir.resolve("openssl.log")));
			}
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
