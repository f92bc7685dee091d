package org.signaling.api.events.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.testsupport.InMemoryEventLog;
import org.signaling.api.testsupport.TestCredentials;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.scheduling.TaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that stops reading its event stream (its TCP window full, the server's write stuck) is closed after
 * {@code signaling.events.send-timeout} and holds up nobody meanwhile: not the other streams, not heartbeats, not
 * the jobs of the shared scheduler; the container ends the stuck write itself soon after. Over real sockets, with
 * large events from an in-memory log so the stall comes quickly.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.ssl.enabled=false", "signaling.kamailio.rpc-url=http://127.0.0.1:9/RPC",
				"signaling.kamailio.sip-domain=192.168.210.54", "signaling.genesys.server=192.168.210.81:5060",
				"signaling.events.heartbeat=200ms", "signaling.events.send-timeout=2s" })
class StalledClientTests {

	static final Duration BOUND = Duration.ofSeconds(30);

	/** Four stalled clients: as many as there used to be sender threads for every stream. */
	static final int STALLED = 4;

	/** Large events fill the socket buffers (a few MB on loopback) after a few dozen. */
	static final String PADDING = "x".repeat(64 * 1024);

	static final int MAX_EVENTS = 200;

	@TestConfiguration(proxyBeanMethods = false)
	static class FastLog {

		@Bean
		@Primary
		InMemoryEventLog inMemoryEventLog(ApplicationEventPublisher publisher) {
			InMemoryEventLog log = new InMemoryEventLog(Clock.systemUTC());
			log.announceTo(publisher::publishEvent);
			return log;
		}

	}

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@Autowired
	InMemoryEventLog log;

	@Autowired
	EventStream eventStream;

	@Autowired
	TaskScheduler scheduler;

	final List<RawEventStream> stalled = new ArrayList<>();

	final ExecutorService readers = Executors.newCachedThreadPool();

	final List<InputStream> bodies = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeClients() throws IOException {
		for (RawEventStream stream : stalled) {
			stream.close();
		}
		for (InputStream body : bodies) {
			body.close();
		}
		readers.shutdownNow();
	}

	@Test
	void aClientThatStopsReadingIsClosedAndHoldsUpNoOtherStreamHeartbeatOrScheduledJob() throws Exception {
		int before = eventStream.openStreams();
		for (int i = 0; i < STALLED; i++) {
			RawEventStream stream = RawEventStream.open(port, "/api/events", "X-API-Key: " + TestCredentials.READER_KEY,
					4096);
			stalled.add(stream);
			assertThat(stream.status()).isEqualTo(200);
		}
		List<String> reading = read("/api/events?dn=7001");
		await().atMost(BOUND).until(() -> reading.contains(":connected"));
		assertThat(eventStream.openStreams()).isEqualTo(before + STALLED + 1);
		assertThat(meters.get("signaling.events.streams").tag("kind", "key").gauge().value())
			.as("open streams of API keys, as Prometheus sees them").isGreaterThanOrEqualTo(STALLED + 1);

		// Large events until the service has closed the stalled streams (or a bound: then the test fails below).
		List<String> appended = new ArrayList<>();
		for (int i = 0; i < MAX_EVENTS && eventStream.openStreams() > before + 1; i++) {
			appended.add("id:" + log.append("dn.busy", "dn", "7001", Map.of("dn", "7001", "padding", PADDING))
				.event()
				.id());
		}

		// The stalled streams are closed (a write to each has been stuck for send-timeout), their places freed...
		await().atMost(BOUND).until(() -> eventStream.openStreams() == before + 1);
		// ...and while those writes stay stuck (the container ends them later), the shared scheduler runs its jobs...
		CountDownLatch ran = new CountDownLatch(1);
		scheduler.schedule(ran::countDown, Instant.now());
		await().atMost(BOUND).until(() -> ran.getCount() == 0);
		// ...and the reading stream got every event, in order, and still gets heartbeats.
		await().atMost(BOUND)
			.untilAsserted(() -> assertThat(reading.stream().filter((line) -> line.startsWith("id:")).toList())
				.containsExactlyElementsOf(appended));
		int heartbeats = heartbeats(reading);
		await().atMost(BOUND).until(() -> heartbeats(reading) > heartbeats);

		try (RawEventStream again = RawEventStream.open(port, "/api/events",
				"X-API-Key: " + TestCredentials.READER_KEY)) {
			assertThat(again.status()).isEqualTo(200);
		}
		// The writes stuck on the stalled sockets end too, by the container's write timeout
		// (server.tomcat.connection-timeout, 10 s; Tomcat's own default would hold them for a minute).
		await().atMost(BOUND).until(() -> !aSenderIsStuckInAWrite());
	}

	private static boolean aSenderIsStuckInAWrite() {
		return Thread.getAllStackTraces()
			.entrySet()
			.stream()
			.filter((thread) -> thread.getKey().getName().startsWith("sse-sender"))
			.anyMatch((thread) -> Arrays.stream(thread.getValue())
				.anyMatch((frame) -> frame.getClassName().startsWith("org.apache.tomcat.util.net.")));
	}

	private List<String> read(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("X-API-Key", TestCredentials.ADMIN_KEY)
			.header("Accept", "text/event-stream")
			.build();
		HttpResponse<InputStream> response = HttpClient.newHttpClient()
			.send(request, HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		bodies.add(response.body());
		List<String> lines = new CopyOnWriteArrayList<>();
		readers.execute(() -> {
			try (BufferedReader reader = new BufferedReader(
					new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
				for (String line = reader.readLine(); line != null; line = reader.readLine()) {
					lines.add(line.replace("id: ", "id:"));
				}
			}
			catch (IOException ex) {
				// the test closed the stream
			}
		});
		return lines;
	}

	private static int heartbeats(List<String> lines) {
		return (int) lines.stream().filter(":heartbeat"::equals).count();
	}

}
