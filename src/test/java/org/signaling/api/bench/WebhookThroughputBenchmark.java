package org.signaling.api.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.signaling.api.SignalingApiApplication;
import org.signaling.api.events.EventLog;
import org.signaling.api.testsupport.TestCredentials;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * Webhook delivery throughput to a local receiver that answers 204 at once: events appended to the log, each one
 * signed and POSTed from the durable outbox, over many subjects (DNs). Run by {@code bench/webhook-throughput.sh};
 * not a test.
 */
public final class WebhookThroughputBenchmark {

	private WebhookThroughputBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int events = (args.length > 0) ? Integer.parseInt(args[0]) : 5000;
		int subjects = (args.length > 1) ? Integer.parseInt(args[1]) : 100;
		if (events < 1 || events > 200_000 || subjects < 1 || subjects > events) {
			throw new IllegalArgumentException("usage: EVENTS (1..200000) SUBJECTS (1..EVENTS)");
		}
		AtomicInteger received = new AtomicInteger();
		HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
		ExecutorService handlers = Executors.newFixedThreadPool(16);
		receiver.setExecutor(handlers);
		receiver.createContext("/hook", (exchange) -> {
			exchange.getRequestBody().readAllBytes();
			received.incrementAndGet();
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		receiver.start();
		try (ConfigurableApplicationContext app = SpringApplication.run(SignalingApiApplication.class,
				"--spring.config.location=optional:classpath:/", "--spring.profiles.active=test",
				"--server.ssl.enabled=false", "--server.port=0", "--signaling.kamailio.rpc-url=http://127.0.0.1:9/RPC",
				"--signaling.kamailio.sip-domain=127.0.0.1", "--signaling.genesys.server=127.0.0.1:9",
				"--signaling.webhooks.allow-insecure-urls=true", "--logging.level.root=warn",
				"--logging.structured.format.console=")) {
			String base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
			HttpResponse<String> created = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(base + "/api/webhooks"))
					.header("X-API-Key", TestCredentials.ADMIN_KEY)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"http://127.0.0.1:"
							+ receiver.getAddress().getPort() + "/hook\",\"event_types\":[\"dn.busy\"]}"))
					.build(), HttpResponse.BodyHandlers.ofString());
			if (created.statusCode() != 201) {
				throw new IllegalStateException("subscription refused: " + created.body());
			}
			EventLog log = app.getBean(EventLog.class);
			long start = System.nanoTime();
			for (int i = 0; i < events; i++) {
				String dn = Integer.toString(40000 + (i % subjects));
				log.append("dn.busy", "dn", dn, Map.of("dn", dn, "status", "busy", "active_call_count", 1));
			}
			long appended = System.nanoTime();
			await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(20))
				.until(() -> received.get() >= events);
			long done = System.nanoTime();
			System.out.printf("webhooks: %d events over %d subjects; appended in %.2f s (%.0f events/s, durable); "
					+ "all delivered %.2f s after the first append: %.0f deliveries/s (signed POST, local receiver)%n",
					events, subjects, (appended - start) / 1e9, events / ((appended - start) / 1e9),
					(done - start) / 1e9,
					events / ((done - start) / 1e9));
		}
		finally {
			receiver.stop(0);
			handlers.shutdownNow();
		}
	}

}
