package org.signaling.api.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.signaling.api.SignalingApiApplication;
import org.signaling.api.testsupport.KamailioProcess;
import org.signaling.api.testsupport.Sipp;
import org.signaling.api.testsupport.TestCredentials;
import org.signaling.api.testsupport.TestTls;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * Latency from a SIPp REGISTER to its {@code dn.registered} Server-Sent Event, with Kamailio's evapi push ("push")
 * or with the periodic refresh alone ("poll", refresh every second). One registration at a time, each a new DN.
 * Run by {@code bench/event-latency.sh}; not a test.
 */
public final class EventLatencyBenchmark {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private EventLatencyBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		String mode = (args.length > 0) ? args[0] : "push";
		int registrations = (args.length > 1) ? Integer.parseInt(args[1]) : 100;
		if (!mode.equals("push") && !mode.equals("poll") || registrations < 1 || registrations > 2000) {
			throw new IllegalArgumentException("usage: push|poll COUNT (1..2000)");
		}
		TestTls tls = TestTls.create();
		Map<String, Long> arrivedAt = new ConcurrentHashMap<>();
		try (KamailioProcess kamailio = KamailioProcess.start("127.0.0.1:9"); Sipp sipp = new Sipp(kamailio)) {
			List<String> arguments = new ArrayList<>(List.of("--spring.config.location=optional:classpath:/",
					"--spring.profiles.active=test", "--server.ssl.enabled=false", "--server.port=0",
					"--signaling.kamailio.rpc-url=" + kamailio.rpcUrl(), "--signaling.kamailio.sip-domain=127.0.0.1",
					"--signaling.kamailio.refresh-interval=1s", "--signaling.genesys.server=127.0.0.1:9",
					"--logging.level.root=warn", "--logging.structured.format.console="));
			if (mode.equals("push")) {
				arguments.add("--signaling.kamailio.evapi-address=127.0.0.1:" + kamailio.evapiPort());
			}
			try (ConfigurableApplicationContext app = SpringApplication.run(SignalingApiApplication.class,
					arguments.toArray(String[]::new))) {
				String base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
				HttpClient http = HttpClient.newHttpClient();
				HttpRequest stream = HttpRequest.newBuilder(URI.create(base + "/api/events?type=dn.registered"))
					.header("X-API-Key", TestCredentials.READER_KEY)
					.build();
				http.sendAsync(stream, HttpResponse.BodyHandlers.ofLines()).thenAccept((response) -> {
					try (Stream<String> lines = response.body()) {
						lines.filter((line) -> line.startsWith("data:")).forEach((line) -> {
							JsonNode event = JSON.readTree(line.substring("data:".length()));
							arrivedAt.put(event.path("subject").asString(), System.nanoTime());
						});
					}
				});
				// Past the DN baseline (the first full look at Kamailio): registrations from now on are changes.
				HttpRequest list = HttpRequest.newBuilder(URI.create(base + "/api/dn/list"))
					.header("X-API-Key", TestCredentials.READER_KEY)
					.build();
				await().atMost(Duration.ofSeconds(30))
					.until(() -> http.send(list, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
				sipp.register("29999");
				await().atMost(Duration.ofSeconds(30)).until(() -> arrivedAt.containsKey("29999"));
				long[] fromOk = new long[registrations];
				for (int i = 0; i < registrations; i++) {
					String dn = Integer.toString(30000 + i);
					sipp.register(dn);
					long okAt = System.nanoTime();
					await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
						.until(() -> arrivedAt.containsKey(dn));
					fromOk[i] = arrivedAt.get(dn) - okAt;
				}
				report(mode, registrations, fromOk);
			}
		}
	}

	private static void report(String mode, int count, long[] nanos) {
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		System.out.printf("%s: REGISTER's 200 (SIPp exit) to the dn.registered SSE event, %d registrations: "
				+ "median %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (negative: the event arrived before SIPp had "
				+ "exited)%n", mode, count, ms(percentile(sorted, 50)), ms(percentile(sorted, 90)),
				ms(percentile(sorted, 99)), ms(sorted[sorted.length - 1]));
	}

	private static long percentile(long[] sorted, int p) {
		int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

	private static double ms(long nanos) {
		return nanos / 1_000_000.0;
	}

}
