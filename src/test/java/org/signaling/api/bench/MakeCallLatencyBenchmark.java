package org.signaling.api.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import org.signaling.api.testsupport.ApiClient;
import org.signaling.api.testsupport.KamailioProcess;
import org.signaling.api.testsupport.Sipp;
import org.signaling.api.testsupport.TestTls;
import org.signaling.api.testsupport.ami.AmiActionHandler;
import org.signaling.api.testsupport.ami.AmiServerDouble;
import org.signaling.api.testsupport.ami.CallScript;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Latency of {@code POST /api/call/make}: to its 202, and to the Originate reaching the AMI socket (the AMI double
 * notes when it reads it). One client, sequential requests (back to back, or started at a fixed rate: the issue's
 * "20 calls/s"), over HTTPS on loopback, with a real Kamailio (the agent
 * must be registered) and the real asterisk-java client, authenticated with the test admin key (application-test.yml,
 * whose rate limits are out of the way). Run by {@code bench/make-call-latency.sh}; not a test.
 */
public final class MakeCallLatencyBenchmark {

	private MakeCallLatencyBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int requests = (args.length > 0) ? Integer.parseInt(args[0]) : 1000;
		int warmup = (args.length > 1) ? Integer.parseInt(args[1]) : 300;
		int rate = (args.length > 2) ? Integer.parseInt(args[2]) : 0;
		if (requests < 1 || requests > 20_000 || warmup < 0 || warmup > 20_000 || rate < 0 || rate > 1_000) {
			throw new IllegalArgumentException("requests 1..20000, warm-up 0..20000, rate 0 (back to back)..1000/s");
		}
		Map<String, Long> originateReadAt = new ConcurrentHashMap<>();
		TestTls tls = TestTls.create();
		try (KamailioProcess kamailio = KamailioProcess.start("127.0.0.1:9");
				Sipp sipp = new Sipp(kamailio);
				AmiServerDouble asterisk = AmiServerDouble.start(ServiceWithAsterisk.AMI_USER,
						ServiceWithAsterisk.AMI_SECRET)) {
			sipp.register("5001");
			// Calls end at once (agent busy), so the registry stays small whatever the request count.
			asterisk.calls().defaultScript(CallScript.AGENT_BUSY);
			AmiActionHandler originate = asterisk.handlerOf("Originate");
			asterisk.onAction("Originate", (session, action) -> {
				originateReadAt.put(action.get("ChannelId"), System.nanoTime());
				originate.handle(session, action);
			});
			try (ConfigurableApplicationContext app = ServiceWithAsterisk.start(kamailio, asterisk, tls)) {
				ApiClient api = ServiceWithAsterisk.client(app, tls);
				run(api, warmup, 0, originateReadAt);
				long[][] measured = run(api, requests, rate, originateReadAt);
				report(requests, warmup, rate, measured[0], measured[1]);
			}
		}
	}

	/**
	 * Returns nanoseconds to the 202 and to the Originate read by the AMI double, per request. With a rate, request i
	 * starts at i / rate seconds (at once when the previous one ended later than that), so that the service sees that
	 * rate rather than a burst.
	 */
	private static long[][] run(ApiClient api, int count, int rate, Map<String, Long> originateReadAt) {
		long[] to202 = new long[count];
		long[] toSocket = new long[count];
		List<String> failures = new ArrayList<>();
		long first = System.nanoTime();
		for (int i = 0; i < count; i++) {
			if (rate > 0) {
				long due = first + i * 1_000_000_000L / rate;
				while (System.nanoTime() < due) {
					LockSupport.parkNanos(due - System.nanoTime());
				}
			}
			long start = System.nanoTime();
			ApiClient.Response response = api.post("/api/call/make", "{\"from\":\"5001\",\"to\":\"5551234567\"}");
			to202[i] = System.nanoTime() - start;
			if (response.status() != 202) {
				failures.add(response.toString());
				continue;
			}
			Long readAt = originateReadAt.remove(response.json().path("call_id").asString());
			toSocket[i] = (readAt != null) ? readAt - start : -1;
		}
		if (!failures.isEmpty()) {
			throw new IllegalStateException(failures.size() + " requests failed, first: " + failures.get(0));
		}
		return new long[][] { to202, toSocket };
	}

	private static void report(int requests, int warmup, int rate, long[] to202, long[] toSocket) {
		System.out.printf("POST /api/call/make, %d sequential requests (%s) after %d warm-up, HTTPS, loopback, %d "
				+ "cores%n", requests, (rate > 0) ? rate + " a second" : "back to back", warmup,
				Runtime.getRuntime().availableProcessors());
		System.out.println("| latency | median | p90 | p99 | max |");
		System.out.println("|---|---|---|---|---|");
		row("to 202 Accepted", to202);
		row("to Originate read by the AMI socket", toSocket);
	}

	private static void row(String name, long[] nanos) {
		long[] sorted = Arrays.stream(nanos).filter((n) -> n >= 0).sorted().toArray();
		System.out.printf("| %s | %.2f ms | %.2f ms | %.2f ms | %.2f ms |%n", name, ms(percentile(sorted, 50)),
				ms(percentile(sorted, 90)), ms(percentile(sorted, 99)), ms(sorted[sorted.length - 1]));
		if (sorted.length < nanos.length) {
			System.out.printf("  (%d requests had no Originate on the socket)%n", nanos.length - sorted.length);
		}
	}

	private static long percentile(long[] sorted, int p) {
		int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

	private static double ms(long nanos) {
		return nanos / 1_000_000.0;
	}

}
