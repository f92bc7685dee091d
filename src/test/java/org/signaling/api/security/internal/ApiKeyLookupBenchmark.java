package org.signaling.api.security.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.signaling.api.security.ApiSecurityProperties.ApiKey;

/**
 * Cost of one API key check ({@link ApiKeys#authenticate}) among 100 configured keys: a valid key, an unknown key,
 * and a malformed one. Run by {@code bench/security-cost.sh}; not a test.
 */
public final class ApiKeyLookupBenchmark {

	private ApiKeyLookupBenchmark() {
	}

	public static void main(String[] args) {
		List<ApiKey> keys = new ArrayList<>();
		String valid = null;
		for (int i = 0; i < 100; i++) {
			String key = "sk_" + String.format("%043d", i).replace('0', 'k');
			keys.add(new ApiKey("key-" + i, "sha256:" + ApiKeys.sha256Hex(key), Set.of("read"), null, null));
			valid = key;
		}
		ApiKeys apiKeys = new ApiKeys(keys);
		String unknown = "sk_" + "U".repeat(43);
		String malformed = "not-a-key";
		int rounds = 2_000_000;
		for (String[] run : new String[][] { { "valid key", valid }, { "unknown key", unknown },
				{ "malformed key", malformed } }) {
			measure(apiKeys, run[1], rounds / 4);
			long start = System.nanoTime();
			int found = measure(apiKeys, run[1], rounds);
			double nanos = (System.nanoTime() - start) / (double) rounds;
			System.out.printf("%-14s %7.0f ns per check (%d checks, %d matched)%n", run[0], nanos, rounds, found);
		}
	}

	private static int measure(ApiKeys keys, String presented, int rounds) {
		int found = 0;
		for (int i = 0; i < rounds; i++) {
			if (keys.authenticate(presented).isPresent()) {
				found++;
			}
		}
		return found;
	}

}
