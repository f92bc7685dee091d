package org.signaling.api.clients;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.signaling.api.events.internal.EventStreams;
import org.signaling.api.testsupport.ApiClient;
import org.signaling.api.testsupport.KamailioProcess;
import org.signaling.api.testsupport.LiveService;
import org.signaling.api.testsupport.Sipp;
import org.signaling.api.testsupport.TestCredentials;
import org.signaling.api.testsupport.TestTls;
import org.signaling.api.testsupport.ami.AmiServerDouble;
import org.signaling.api.testsupport.ami.CallScript;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The JavaScript client's tests (clients/js, {@code node --test}) against the real service over TLS, a real
 * Kamailio with SIPp agent 5001 and the AMI server double as Asterisk: node's exit code is the verdict.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JsClientIT {

	static final Duration BOUND = Duration.ofSeconds(30);

	static final Duration NODE_BOUND = Duration.ofMinutes(3);

	static final TestTls TLS = TestTls.create();

	static final KamailioProcess KAMAILIO = KamailioProcess.start("127.0.0.1:9");

	static final Sipp SIPP = new Sipp(KAMAILIO);

	static final AmiServerDouble ASTERISK = LiveService.startAsterisk();

	static final List<AutoCloseable> AGENTS = new ArrayList<>();

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		LiveService.register(registry, TLS, KAMAILIO, "127.0.0.1:9");
		LiveService.registerAsterisk(registry, ASTERISK);
		// a heartbeat every second: a stream the client closed is noticed (and ended) at once
		registry.add("signaling.events.heartbeat", () -> "1s");
	}

	@BeforeAll
	static void agents() {
		AGENTS.add(SIPP.agentUas("5001"));
	}

	@AfterAll
	static void stopBackends() throws Exception {
		for (AutoCloseable agent : AGENTS) {
			agent.close();
		}
		SIPP.close();
		KAMAILIO.close();
		ASTERISK.close();
	}

	@Test
	void theJavaScriptClientsTestsPassAgainstTheService() throws Exception {
		ApiClient api = new ApiClient("https://localhost:" + port, TLS.clientContext());
		ASTERISK.calls().defaultScript(CallScript.ANSWER_AND_BRIDGE);
		await().atMost(BOUND).until(() -> "up".equals(
				api.componentStatus("asterisk")));
		await().atMost(BOUND).until(() -> "available".equals(api.get("/api/dn/5001").json().path("status").asString()));

		Path root = KamailioProcess.repoRoot();
		Path output = Files.createTempFile("node-test", ".log");
		ProcessBuilder node = new ProcessBuilder("node", "--test", "clients/js/test/").directory(root.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile());
		Map<String, String> env = node.environment();
		env.put("SIGNALING_API_URL", "https://127.0.0.1:" + port);
		env.put("SIGNALING_API_KEY", TestCredentials.ADMIN_KEY);
		env.put("SIGNALING_DN", "5001");
		env.put("SIGNALING_LIVE_MAKE", "1");
		env.put("NODE_EXTRA_CA_CERTS", TLS.certificatePem().toString());
		Process process = node.start();
		boolean finished = process.waitFor(NODE_BOUND.toSeconds(), TimeUnit.SECONDS);
		if (!finished) {
			process.destroyForcibly();
		}
		String log = Files.readString(output, StandardCharsets.UTF_8);
		assertThat(finished).as("node --test finished within %s:%n%s", NODE_BOUND, log).isTrue();
		assertThat(process.exitValue()).as("node --test clients/js/test/:%n%s", log).isZero();
		// the live tests ran rather than being skipped
		assertThat(log).contains("# skipped 0");
		// node closed its event streams (and exited): the service has noticed, none is left open
		await().atMost(BOUND).untilAsserted(() -> assertThat(EventStreams.open(context)).isZero());
	}

}
