package org.signaling.api.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.signaling.api.testsupport.FakeBackends;
import org.signaling.api.testsupport.FakeSignalingState;
import org.signaling.api.testsupport.TestCredentials;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The access log is Tomcat's own (server.tomcat.accesslog, application.yml), over a real socket: one JSON line per
 * request with the method, the path template (never the DN the URL named), the status, the duration, the
 * credential's name (never the key) and the request id the answer carried. The request timer names the template
 * too.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.ssl.enabled=false", "signaling.kamailio.rpc-url=http://127.0.0.1:9/RPC",
				"signaling.kamailio.sip-domain=192.168.210.54", "signaling.genesys.server=192.168.210.81:5060",
				"signaling.dn.directory=5001-5005", "server.tomcat.accesslog.prefix=access",
				"server.tomcat.accesslog.suffix=.log", "server.tomcat.accesslog.buffered=false" })
@Import(FakeBackends.class)
class AccessLogTests {

	static final Path DIRECTORY = temporaryDirectory();

	@LocalServerPort
	int port;

	@Autowired
	FakeSignalingState kamailio;

	@Autowired
	MeterRegistry meters;

	final HttpClient http = HttpClient.newHttpClient();

	final JsonMapper json = JsonMapper.builder().build();

	@DynamicPropertySource
	static void accessLog(DynamicPropertyRegistry registry) {
		registry.add("server.tomcat.accesslog.directory", DIRECTORY::toString);
	}

	@Test
	void eachRequestIsOneJsonLineWithItsTemplateStatusCredentialAndRequestId() throws Exception {
		kamailio.reset();
		HttpResponse<String> found = get("/api/dn/5001", TestCredentials.READER_KEY);
		HttpResponse<String> refused = get("/api/webhooks", TestCredentials.READER_KEY);
		HttpResponse<String> anonymous = get("/api/health", null);

		JsonNode foundLine = lineOf(found);
		assertThat(foundLine.path("http.request.method").asString()).isEqualTo("GET");
		assertThat(foundLine.path("url.path").asString()).as("the template, not the DN").isEqualTo("/api/dn/{dn}");
		assertThat(foundLine.path("http.response.status_code").asInt()).isEqualTo(found.statusCode());
		assertThat(foundLine.path("event.duration_us").asLong()).isPositive();
		assertThat(foundLine.path("user.name").asString()).isEqualTo("key:test-reader");
		assertThat(foundLine.path("trace.id").asString()).as("the trace of the traceparent answered")
			.isEqualTo(found.headers().firstValue("traceparent").orElseThrow().substring(3, 35));
		assertThat(lineOf(refused).path("http.response.status_code").asInt()).isEqualTo(403);
		assertThat(lineOf(anonymous).path("user.name").asString()).isEqualTo("-");
		assertThat(Files.readString(logFile())).doesNotContain(TestCredentials.READER_KEY);
	}

	@Test
	void readsAnsweredBeforeSpringMvcAreTimedUnderTheirTemplateAsEveryRequestIs() throws Exception {
		get("/api/dn/5001", TestCredentials.READER_KEY);
		get("/api/calls/active", TestCredentials.READER_KEY);

		for (String template : new String[] { "/api/dn/{dn}", "/api/calls/active" }) {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(meters.find("http.server.requests").tag("uri", template).timers())
					.as(template)
					.isNotEmpty());
		}
	}

	private HttpResponse<String> get(String path, String key) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
		if (key != null) {
			request.header("X-API-Key", key);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** The line of the answer's request id (Tomcat writes it once the answer has gone out). */
	private JsonNode lineOf(HttpResponse<String> response) {
		String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
		return await().atMost(Duration.ofSeconds(10)).until(() -> {
			for (String line : Files.readAllLines(logFile())) {
				JsonNode parsed = json.readTree(line);
				if (requestId.equals(parsed.path("request_id").asString())) {
					return parsed;
				}
			}
			return null;
		}, (line) -> line != null);
	}

	private static Path logFile() throws IOException {
		try (Stream<Path> files = Files.list(DIRECTORY)) {
			List<Path> logs = files.filter((file) -> file.getFileName().toString().startsWith("access")).toList();
			return logs.isEmpty() ? DIRECTORY.resolve("access.log") : logs.get(0);
		}
	}

	private static Path temporaryDirectory() {
		try {
			return Files.createTempDirectory("signaling-access-log");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
