package org.signaling.api.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
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
 * Latencies from what a SIPp agent sees to the matching Server-Sent Event on {@code GET /api/events}, with
 * Kamailio's evapi push ("push") or with the periodic refresh alone ("poll", refresh every second):
 * <ul>
 * <li>a REGISTER's 200 (SIPp exit) to its {@code dn.registered} event, one registration at a time, each a new DN;
 * <li>an INVITE's 200 at the caller to the call's {@code call.answered} event, and
 * <li>the caller's BYE's 200 to the same call's {@code call.ended} event: one call at a time through Kamailio, each
 * from a new caller DN (so its events are told apart by {@code from_dn}) to one answering agent, hung up by the
 * caller after {@link #HOLD}.
 * </ul>
 * The call times come from the caller's SIPp message log (this machine's wall clock, microseconds), so the events'
 * arrival is taken on the same clock. Run by {@code bench/event-latency.sh}; not a test.
 */
public final class EventLatencyBenchmark {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** The API's periodic refresh of Kamailio's view, the only source of changes in the poll mode. */
	private static final Duration REFRESH = Duration.ofSeconds(1);

	/** The agent that answers every measured call. */
	private static final String CALLEE = "29998";

	/**
	 * How long the caller holds an answered call before its BYE. It has to outlast the poll mode's refresh (1 s) and
	 * the sync after it, or the API could see the dialog go from ringing to gone and never announce it answered; the
	 * same in both modes so that they compare. Calls where the BYE still went out first are counted in the report.
	 */
	private static final Duration HOLD = Duration.ofMillis(2500);

	/** Bound on one event's arrival after SIPp is done (the poll mode's refresh is 1 s). */
	private static final Duration EVENT_BOUND = Duration.ofSeconds(10);

	/** Bound on one call's SIPp, on top of the hold: setup, BYE and its 200 on loopback. */
	private static final Duration CALL_BOUND = Duration.ofSeconds(20);

	private EventLatencyBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		String mode = (args.length > 0) ? args[0] : "push";
		int count = (args.length > 1) ? Integer.parseInt(args[1]) : 100;
		if (!mode.equals("push") && !mode.equals("poll") || count < 1 || count > 2000) {
			throw new IllegalArgumentException("usage: push|poll COUNT (1..2000)");
		}
		TestTls tls = TestTls.create();
		Map<String, Arrival> arrivedAt = new ConcurrentHashMap<>();
		try (KamailioProcess kamailio = KamailioProcess.start("127.0.0.1:9"); Sipp sipp = new Sipp(kamailio)) {
			List<String> arguments = new ArrayList<>(List.of("--spring.config.location=optional:classpath:/",
					"--spring.profiles.active=test", "--server.ssl.enabled=false", "--server.port=0",
					"--signaling.kamailio.rpc-url=" + kamailio.rpcUrl(), "--signaling.kamailio.sip-domain=127.0.0.1",
					"--signaling.kamailio.refresh-interval=" + REFRESH.toSeconds() + "s",
					"--signaling.genesys.server=127.0.0.1:9",
					"--logging.level.root=warn", "--logging.structured.format.console="));
			if (mode.equals("push")) {
				arguments.add("--signaling.kamailio.evapi-address=127.0.0.1:" + kamailio.evapiPort());
			}
			try (ConfigurableApplicationContext app = SpringApplication.run(SignalingApiApplication.class,
					arguments.toArray(String[]::new))) {
				String base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
				HttpClient http = HttpClient.newHttpClient();
				HttpRequest stream = HttpRequest.newBuilder(URI.create(base
						+ "/api/events?type=dn.registered,call.answered,call.ended"))
					.header("X-API-Key", TestCredentials.READER_KEY)
					.build();
				http.sendAsync(stream, HttpResponse.BodyHandlers.ofLines()).thenAccept((response) -> {
					try (Stream<String> lines = response.body()) {
						lines.filter((line) -> line.startsWith("data:")).forEach((line) -> {
							Arrival arrival = new Arrival(System.nanoTime(), Instant.now(), line);
							JsonNode event = JSON.readTree(line.substring("data:".length()));
							String type = event.path("type").asString();
							String subject = event.path("subject").asString();
							if (type.equals("dn.registered")) {
								arrivedAt.putIfAbsent(type + ":" + subject, arrival);
							}
							else {
								// The first of each kind counts: a repeated event would not be the latency.
								arrivedAt.putIfAbsent(type + ":id:" + subject, arrival);
								String fromDn = event.path("data").path("from_dn").asString("");
								if (!fromDn.isEmpty()) {
									arrivedAt.putIfAbsent(type + ":dn:" + fromDn, arrival.withSubject(subject));
								}
							}
						});
					}
				});
				// Past the leader's first look at Kamailio (its term's start): registrations are changes from now on.
				HttpRequest list = HttpRequest.newBuilder(URI.create(base + "/api/dn/list"))
					.header("X-API-Key", TestCredentials.READER_KEY)
					.build();
				await().atMost(Duration.ofSeconds(30))
					.until(() -> http.send(list, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
				sipp.register("29999");
				await().atMost(Duration.ofSeconds(30)).until(() -> arrivedAt.containsKey("dn.registered:29999"));
				long[] fromOk = new long[count];
				for (int i = 0; i < count; i++) {
					String dn = Integer.toString(30000 + i);
					sipp.register(dn);
					long okAt = System.nanoTime();
					await().atMost(EVENT_BOUND).pollInterval(Duration.ofMillis(1))
						.until(() -> arrivedAt.containsKey("dn.registered:" + dn));
					fromOk[i] = arrivedAt.get("dn.registered:" + dn).nanos() - okAt;
				}
				report(mode, count, fromOk);
				try (Sipp.Agent callee = sipp.agentUas(CALLEE)) {
					// One call first, not measured: the first call's path through the service is cold.
					measureCall(sipp, "39999", arrivedAt);
					CallTimes calls = new CallTimes(count);
					for (int i = 0; i < count; i++) {
						// Pacing, not synchronisation: each call starts right after the last call.ended, which
						// itself arrives just after a refresh, so without a random offset every call in the poll
						// mode would meet the 1 s refresh at the same phase, and its figures would be that one
						// phase's rather than the spread. The same in both modes so that they compare.
						Thread.sleep(ThreadLocalRandom.current().nextLong(REFRESH.toMillis()));
						calls.add(measureCall(sipp, Integer.toString(40000 + i), arrivedAt));
					}
					calls.report(mode);
				}
			}
		}
	}

	/**
	 * One call from {@code caller} to {@link #CALLEE}, hung up by the caller: the latencies from its INVITE's 200 to
	 * {@code call.answered} (null when that event never came) and from its BYE's 200 to {@code call.ended}.
	 */
	private static CallSample measureCall(Sipp sipp, String caller, Map<String, Arrival> arrivedAt) {
		Sipp.Agent call = sipp.callAndHangUp(caller, CALLEE, HOLD);
		int exit = call.awaitExit(HOLD.plus(CALL_BOUND));
		if (exit != 0) {
			throw new IllegalStateException("call from " + caller + " did not end cleanly (SIPp exit " + exit
					+ "), see " + call.outputLog() + " and " + call.messageLog());
		}
		Instant inviteOk = call.receivedAt("SIP/2.0 200", "INVITE");
		Instant byeSent = call.firstMessageAt(true, "BYE ");
		Instant byeOk = call.receivedAt("SIP/2.0 200", "BYE");
		await("call.ended of the call from " + caller).atMost(EVENT_BOUND).pollInterval(Duration.ofMillis(1))
			.until(() -> arrivedAt.containsKey("call.ended:dn:" + caller));
		Arrival ended = arrivedAt.get("call.ended:dn:" + caller);
		// call.ended comes after call.answered on the one stream, so a missing answer is missing for good.
		Arrival answered = arrivedAt.get("call.answered:dn:" + caller);
		Long fromInviteOk = (answered == null) ? null : Duration.between(inviteOk, answered.wall()).toNanos();
		boolean answeredAfterBye = answered != null && answered.wall().isAfter(byeSent);
		boolean sameCall = answered == null || answered.subject().equals(ended.subject());
		return new CallSample(fromInviteOk, Duration.between(byeOk, ended.wall()).toNanos(),
				Duration.between(byeSent, ended.wall()).toNanos(), answeredAfterBye, sameCall, ended.subject());
	}

	private static void report(String mode, int count, long[] nanos) {
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		System.out.printf("%s: REGISTER's 200 (SIPp exit) to the dn.registered SSE event, %d registrations: "
				+ "median %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (negative: the event arrived before SIPp had "
				+ "exited)%n", mode, count, ms(percentile(sorted, 50)), ms(percentile(sorted, 90)),
				ms(percentile(sorted, 99)), ms(sorted[sorted.length - 1]));
	}

	private static String stats(long[] nanos) {
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		return String.format("median %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms", ms(percentile(sorted, 50)),
				ms(percentile(sorted, 90)), ms(percentile(sorted, 99)), ms(sorted[sorted.length - 1]));
	}

	private static long percentile(long[] sorted, int p) {
		int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

	private static double ms(long nanos) {
		return nanos / 1_000_000.0;
	}

	/**
	 * When an event line arrived: {@code nanos} for the REGISTER measure (against SIPp's exit, taken in this JVM),
	 * {@code wall} for the call measures (against SIPp's message log, which has only the wall clock).
	 */
	private record Arrival(long nanos, Instant wall, String subject) {

		Arrival withSubject(String callId) {
			return new Arrival(nanos, wall, callId);
		}

	}

	private record CallSample(Long fromInviteOk, long fromByeOk, long fromByeSent, boolean answeredAfterBye,
			boolean sameCall, String callId) {
	}

	/** The call measures of one mode. */
	private static final class CallTimes {

		private final int count;

		private final List<Long> fromInviteOk = new ArrayList<>();

		private final List<Long> fromByeOk = new ArrayList<>();

		/** From the caller's BYE leaving: without what the BYE's 200 takes on its way back (Kamailio, the callee). */
		private final List<Long> fromByeSent = new ArrayList<>();

		private int missingAnswered;

		private int answeredAfterBye;

		private int mismatched;

		private String sampleCallId;

		CallTimes(int count) {
			this.count = count;
		}

		void add(CallSample sample) {
			if (sample.fromInviteOk() == null) {
				missingAnswered++;
			}
			else {
				fromInviteOk.add(sample.fromInviteOk());
			}
			fromByeOk.add(sample.fromByeOk());
			fromByeSent.add(sample.fromByeSent());
			answeredAfterBye += sample.answeredAfterBye() ? 1 : 0;
			mismatched += sample.sameCall() ? 0 : 1;
			sampleCallId = (sampleCallId == null) ? sample.callId() : sampleCallId;
		}

		void report(String mode) {
			String answered = fromInviteOk.isEmpty() ? "none arrived"
					: stats(fromInviteOk.stream().mapToLong(Long::longValue).toArray());
			System.out.printf("%s: INVITE's 200 at the caller (SIPp message log) to the call.answered SSE event, %d "
					+ "calls: %s (%d without call.answered, %d answered only after the caller's BYE left)%n", mode,
					count, answered, missingAnswered, answeredAfterBye);
			System.out.printf("%s: BYE's 200 at the caller (SIPp message log) to the call.ended SSE event, %d calls: "
					+ "%s (negative: the event arrived before the 200; from the BYE leaving the caller instead: %s; "
					+ "hold %d ms; %d with call.answered and call.ended for different call ids; e.g. call id %s)%n",
					mode, count, stats(fromByeOk.stream().mapToLong(Long::longValue).toArray()),
					stats(fromByeSent.stream().mapToLong(Long::longValue).toArray()), HOLD.toMillis(), mismatched,
					sampleCallId);
		}

	}

}
