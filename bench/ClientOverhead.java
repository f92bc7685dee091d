import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.signaling.client.SignalingClient;

/** Java half of bench/client-overhead.sh: java -cp CLIENT_CLASSES ClientOverhead.java API KEY DN COUNT WARMUP. */
public class ClientOverhead {

	public static void main(String[] args) throws Exception {
		String api = args[0];
		String key = args[1];
		String dn = args[2];
		int count = Integer.parseInt(args[3]);
		int warmup = Integer.parseInt(args[4]);
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		SignalingClient client = SignalingClient.builder(URI.create(api)).apiKey(key).build();
		record Case(String name, Callable<Object> raw, Callable<Object> client) {
		}
		List<Case> cases = List.of(
				new Case("GET /api/dn/" + dn, () -> raw(http, api + "/api/dn/" + dn, key), () -> client.getDn(dn)),
				new Case("GET /api/calls/active", () -> raw(http, api + "/api/calls/active", key),
						client::activeCallCount));
		for (Case c : cases) {
			for (int i = 0; i < warmup; i++) {
				c.raw().call();
				c.client().call();
			}
			List<Double> raw = new ArrayList<>();
			List<Double> cl = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				boolean rawFirst = i % 2 == 0;
				for (int v = 0; v < 2; v++) {
					boolean isRaw = (v == 0) == rawFirst;
					long start = System.nanoTime();
					(isRaw ? c.raw() : c.client()).call();
					(isRaw ? raw : cl).add((System.nanoTime() - start) / 1e6);
				}
			}
			double[] r = stats(raw);
			double[] k = stats(cl);
			row(c.name(), "HttpClient", r);
			row(c.name(), "java client", k);
			row(c.name(), "difference", new double[] { k[0] - r[0], k[1] - r[1] });
		}
	}

	static Object raw(HttpClient http, String uri, String key) throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri))
			.timeout(Duration.ofSeconds(10))
			.header("Accept", "application/json")
			.header("X-API-Key", key)
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException(uri + ": " + response.statusCode());
		}
		return response.body();
	}

	static double[] stats(List<Double> samples) {
		double[] sorted = samples.stream().mapToDouble(Double::doubleValue).toArray();
		Arrays.sort(sorted);
		return new double[] { sorted[sorted.length / 2], sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.95))] };
	}

	static void row(String request, String variant, double[] s) {
		System.out.printf(Locale.ROOT, "| %-9s | %-28s | %-15s | %10.3f | %10.3f |%n", "java", request, variant, s[0], s[1]);
	}

}
