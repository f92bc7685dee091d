package org.signaling.api.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.signaling.api.events.EventAppended;
import org.signaling.api.testsupport.ApiClient;
import org.signaling.api.testsupport.KamailioProcess;
import org.signaling.api.testsupport.Sipp;
import org.signaling.api.testsupport.TestTls;
import org.signaling.api.testsupport.ami.AmiActionHandler;
import org.signaling.api.testsupport.ami.AmiServerDouble;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * Call control, end to end against the AMI double: for each operation, the time from the API request to the AMI
 * action on the double's socket, and to the operation's event committed in the event log (what SSE and webhooks
 * send). Per round: one click-to-dial call through Asterisk, answered and bridged by the double, then hold, unhold,
 * DTMF, mute, recording start/pause/stop, a monitor (listen, whisper, end), an attended transfer (ringing, answered by
 * the double, completed). Sequential, over HTTPS on loopback, real Kamailio with a SIPp agent (5001), the real
 * asterisk-java client. Run by {@code bench/call-control-latency.sh}; not a test.
 */
public final class CallControlLatencyBenchmark {

	/** Operation, its request, the AMI action it sends, the event that says it happened. */
	private record Operation(String name, String method, String path, String body, String action, String event) {
	}

	private CallControlLatencyBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 50;
		if (rounds < 1 || rounds > 2_000) {
			throw new IllegalArgumentException("rounds 1..2000");
		}
		Map<String, Long> actionReadAt = new ConcurrentHashMap<>();
		Map<String, Long> eventAt = new ConcurrentHashMap<>();
		TestTls tls = TestTls.create();
		try (KamailioProcess kamailio = KamailioProcess.start("127.0.0.1:9");
				Sipp sipp = new Sipp(kamailio);
				AmiServerDouble asterisk = AmiServerDouble.start(ServiceWithAsterisk.AMI_USER,
						ServiceWithAsterisk.AMI_SECRET)) {
			sipp.register("5001");
			for (String action : List.of("Redirect", "Bridge", "PlayDTMF", "Setvar", "MixMonitor",
					"MixMonitorMute", "StopMixMonitor", "Originate", "Hangup", "Atxfer")) {
				AmiActionHandler handler = asterisk.handlerOf(action);
				asterisk.onAction(action, (session, message) -> {
					actionReadAt.put(action, System.nanoTime());
					handler.handle(session, message);
				});
			}
			try (ConfigurableApplicationContext app = ServiceWithAsterisk.start(kamailio, asterisk, tls)) {
				app.addApplicationListener(ApplicationListener.forPayload(
						(EventAppended appended) -> eventAt.put(appended.stored().event().type(), System.nanoTime())));
				ApiClient api = ServiceWithAsterisk.client(app, tls);
				Map<String, long[][]> measured = new LinkedHashMap<>();
				for (int round = 0; round < rounds; round++) {
					runRound(api, asterisk, actionReadAt, eventAt, measured, round, rounds);
				}
				report(rounds, measured);
			}
		}
	}

	private static void runRound(ApiClient api, AmiServerDouble asterisk, Map<String, Long> actionReadAt,
			Map<String, Long> eventAt, Map<String, long[][]> measured, int round, int rounds) {
		ApiClient.Response made = api.post("/api/call/make", "{\"from\":\"5001\",\"to\":\"5551234567\"}");
		String callId = made.json().path("call_id").asString();
		await().atMost(Duration.ofSeconds(10)).until(() -> "confirmed".equals(api.get("/api/calls/" + callId).json()
			.path("state")
			.asString()));
		String call = "/api/calls/" + callId;
		List<Operation> first = List.of(new Operation("hold", "POST", call + "/hold", null, "Redirect", "call.held"),
				new Operation("unhold", "POST", call + "/unhold", null, "Bridge", "call.unheld"),
				new Operation("dtmf (1 digit)", "POST", call + "/dtmf", "{\"digits\":\"5\"}", "PlayDTMF",
						"call.dtmf_sent"),
				new Operation("mute", "POST", call + "/mute", "{\"direction\":\"in\",\"state\":\"on\"}", "Setvar",
						"call.muted"),
				new Operation("recording start", "POST", call + "/recording", "{\"action\":\"start\"}", "MixMonitor",
						"call.recording.started"),
				new Operation("recording pause", "POST", call + "/recording", "{\"action\":\"pause\"}",
						"MixMonitorMute", "call.recording.paused"),
				new Operation("recording stop", "POST", call + "/recording", "{\"action\":\"stop\"}",
						"StopMixMonitor", "call.recording.stopped"),
				new Operation("monitor (listen)", "POST", call + "/monitors", "{\"supervisor_dn\":\"5009\"}",
						"Originate", "call.monitor.started"));
		String monitorId = null;
		eventAt.remove("call.monitor.active");
		for (Operation operation : first) {
			ApiClient.Response answer = measure(api, operation, actionReadAt, eventAt, measured, round, rounds);
			if (operation.name().startsWith("monitor")) {
				monitorId = answer.json().path("monitor_id").asString();
			}
		}
		String monitor = "/api/monitors/" + monitorId;
		await().atMost(Duration.ofSeconds(10)).until(() -> eventAt.containsKey("call.monitor.active"));
		measure(api, new Operation("monitor whisper", "PATCH", monitor, "{\"mode\":\"whisper\"}", "PlayDTMF",
				"call.monitor.mode_changed"), actionReadAt, eventAt, measured, round, rounds);
		measure(api, new Operation("monitor end", "DELETE", monitor, null, "Hangup", "call.monitor.ended"),
				actionReadAt, eventAt, measured, round, rounds);
		ApiClient.Response transfer = measure(api, new Operation("transfer attended", "POST", call + "/transfers",
				"{\"to\":\"5002\",\"mode\":\"attended\"}", "Atxfer", "call.transfer.ringing"), actionReadAt, eventAt,
				measured, round, rounds);
		String transferPath = "/api/transfers/" + transfer.json().path("transfer_id").asString();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> "answered".equals(api.get(transferPath).json().path("state").asString()));
		measure(api, new Operation("transfer complete", "POST", transferPath + "/complete", null, "Hangup",
				"call.transfer.completed"), actionReadAt, eventAt, measured, round, rounds);
		asterisk.calls().hangupFromFarSide(callId);
		await().atMost(Duration.ofSeconds(10)).until(() -> "ended".equals(api.get(call).json().path("state")
			.asString()));
	}

	private static ApiClient.Response measure(ApiClient api, Operation operation, Map<String, Long> actionReadAt,
			Map<String, Long> eventAt, Map<String, long[][]> measured, int round, int rounds) {
		actionReadAt.remove(operation.action());
		eventAt.remove(operation.event());
		long start = System.nanoTime();
		ApiClient.Response answer = switch (operation.method()) {
			case "POST" -> api.post(operation.path(), (operation.body() != null) ? operation.body() : "{}");
			default -> api.send(operation.method(), operation.path(), operation.body());
		};
		long answered = System.nanoTime() - start;
		if (answer.status() / 100 != 2) {
			throw new IllegalStateException(operation.name() + ": " + answer);
		}
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(1))
			.until(() -> eventAt.containsKey(operation.event()) && actionReadAt.containsKey(operation.action()));
		long[][] times = measured.computeIfAbsent(operation.name(), (name) -> new long[3][rounds]);
		times[0][round] = answered;
		times[1][round] = actionReadAt.get(operation.action()) - start;
		times[2][round] = eventAt.get(operation.event()) - start;
		return answer;
	}

	private static void report(int rounds, Map<String, long[][]> measured) {
		System.out.printf("Call control against the AMI double, %d rounds, sequential, HTTPS, loopback, %d cores%n",
				rounds, Runtime.getRuntime().availableProcessors());
		System.out.println("| operation | to the answer (median / p99) | to the AMI action (median / p99) "
				+ "| to the event (median / p99) |");
		System.out.println("|---|---|---|---|");
		List<String> names = new ArrayList<>(measured.keySet());
		for (String name : names) {
			long[][] times = measured.get(name);
			System.out.printf("| %s | %s | %s | %s |%n", name, cell(times[0]), cell(times[1]), cell(times[2]));
		}
	}

	private static String cell(long[] nanos) {
		long[] sorted = Arrays.stream(nanos).sorted().toArray();
		return String.format("%.1f / %.1f ms", ms(percentile(sorted, 50)), ms(percentile(sorted, 99)));
	}

	private static long percentile(long[] sorted, int p) {
		int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

	private static double ms(long nanos) {
		return nanos / 1_000_000.0;
	}

}
