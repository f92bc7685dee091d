package org.signaling.api.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.signaling.api.testsupport.KamailioProcess;
import org.signaling.api.testsupport.LiveService;
import org.signaling.api.testsupport.TestTls;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ground the browser tests stand on, without the pages: the JVM is in a loopback-only network namespace;
 * Chromium starts from the Debian packages without Selenium Manager; WebRTC media between two peer connections
 * flows over 127.0.0.1 only; a page of the service (HTTPS, test certificate) opens a SIP WebSocket to Kamailio;
 * and a closed browser leaves no process and nothing outside {@code target/}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChromiumLoopbackIT {

	static final TestTls TLS = TestTls.create();

	static final KamailioProcess KAMAILIO = KamailioProcess.start("127.0.0.1:9");

	/** What Selenium logs about finding the driver; it must never run Selenium Manager. */
	static final List<LogRecord> SELENIUM_LOG = new CopyOnWriteArrayList<>();

	static final Handler SELENIUM_LOG_HANDLER = new Handler() {

		@Override
		public void publish(LogRecord record) {
			SELENIUM_LOG.add(record);
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	static final List<Logger> WATCHED = List.of(Logger.getLogger("org.openqa.selenium.remote.service.DriverFinder"),
			Logger.getLogger("org.openqa.selenium.manager.SeleniumManager"));

	static Chromium browser;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void kamailio(DynamicPropertyRegistry registry) {
		LiveService.register(registry, TLS, KAMAILIO, "127.0.0.1:9");
	}

	@BeforeAll
	static void launch() {
		for (Logger logger : WATCHED) {
			logger.setLevel(Level.ALL);
			logger.addHandler(SELENIUM_LOG_HANDLER);
		}
		browser = Chromium.launch("harness");
	}

	@AfterAll
	static void stop() {
		try {
			if (browser != null) {
				browser.close();
			}
		}
		finally {
			WATCHED.forEach((logger) -> logger.removeHandler(SELENIUM_LOG_HANDLER));
			KAMAILIO.close();
		}
	}

	@Test
	void theTestJvmSeesOnlyLoopback() {
		LoopbackNamespace.assertOnlyLoopback();
		assertThat(LoopbackNamespace.interfaces()).as("interfaces").anyMatch((nic) -> nic.startsWith("lo "));
	}

	@Test
	void chromiumComesFromTheDebianPackagesAndSeleniumManagerNeverRuns() {
		assertThat(browser.driver().getCapabilities().getBrowserName()).isEqualTo("chrome");
		assertThat(browser.version()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
		assertThat(SELENIUM_LOG).extracting(LogRecord::getMessage)
			.as("Selenium took the driver from the service, not from Selenium Manager")
			.anyMatch((message) -> message.startsWith("Skipping Selenium Manager"));
		assertThat(SELENIUM_LOG).filteredOn((record) -> record.getLoggerName().endsWith("SeleniumManager"))
			.extracting(LogRecord::getMessage)
			.as("Selenium Manager messages")
			.isEmpty();
	}

	@Test
	@SuppressWarnings("unchecked")
	void webRtcMediaFlowsOverLoopbackOnly() {
		browser.open("https://localhost:" + port + "/api/health");

		Map<String, Object> result = (Map<String, Object>) browser
			.asyncScript(Chromium.resource("browser/loopback-call.js"));

		assertThat(result).as("%s", result).doesNotContainKey("error");
		List<String> candidates = (List<String>) result.get("candidates");
		assertThat(candidates).as("ICE candidates gathered").isNotEmpty();
		// candidate:<foundation> <component> <protocol> <priority> <address> <port> typ <type> ...
		assertThat(candidates).extracting((candidate) -> candidate.split(" ")[4])
			.as("addresses of every candidate: %s", candidates)
			.containsOnly("127.0.0.1");
		for (String side : List.of("caller", "callee")) {
			Map<String, Object> stats = (Map<String, Object>) result.get(side);
			Map<String, Object> pair = (Map<String, Object>) stats.get("pair");
			assertThat(((Number) stats.get("received")).longValue()).as(side + " bytes received").isPositive();
			assertThat(pair).as(side + " selected pair").containsEntry("state", "succeeded");
			assertThat((String) pair.get("local")).startsWith("127.0.0.1:");
			assertThat((String) pair.get("remote")).startsWith("127.0.0.1:");
		}
	}

	@Test
	void aPageOfTheServiceOpensASipWebSocketToKamailio() {
		browser.open("https://localhost:" + port + "/api/health");

		Object protocol = browser.asyncScript("""
				const done = arguments[arguments.length - 1];
				const socket = new WebSocket(arguments[0], 'sip');
				socket.onopen = () => { done(socket.protocol); socket.close(); };
				socket.onerror = () => done('error');
				""", KAMAILIO.wsUrl());

		assertThat(protocol).as("WebSocket to " + KAMAILIO.wsUrl() + " from an HTTPS page").isEqualTo("sip");
	}

	@Test
	void aClosedBrowserLeavesNoProcessAndNothingOutsideTarget() throws Exception {
		Chromium other = Chromium.launch("harness-closed");
		other.open("https://localhost:" + port + "/api/health");
		Path work = other.workDirectory();
		Path tmp = other.temporaryDirectory();
		assertThat(work).startsWith(KamailioProcess.repoRoot().resolve("target"));
		assertThat(other.processes()).as("browser processes while open").isNotEmpty()
			.allMatch((process) -> process.info().commandLine().orElse("")
					.contains(work.resolve("profile").toString()));
		try (Stream<Path> files = Files.list(tmp)) {
			assertThat(files.map((path) -> path.getFileName().toString())).as("Chromium uses the TMPDIR it was given")
				.anyMatch((file) -> file.contains("org.chromium.Chromium."));
		}

		other.closePage();

		assertThat(other.processes()).as("browser processes after closing").isEmpty();
		assertThat(tmp.startsWith(work) || !Files.exists(tmp)).as("a TMPDIR outside target/ is deleted: " + tmp)
			.isTrue();
	}

}
