package org.signaling.api.shared;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * This process among the replicas that share one database: what a claim on shared work (a webhook delivery) names,
 * so that an operator can tell which replica holds it. New at every start: a restarted process does not take over
 * the claims of the one it replaces; they lapse with their lease.
 *
 * @param value {@code <host>-<8 hex digits>}, at most 64 characters
 */
public record ReplicaId(String value) {

	private static final int MAX_HOST = 55;

	/** The host name (bounded, characters other than letters, digits, '.' and '-' replaced) and a random suffix. */
	public static ReplicaId forThisProcess(String hostName) {
		String host = hostName.replaceAll("[^A-Za-z0-9.-]", "_");
		if (host.isEmpty()) {
			host = "replica";
		}
		byte[] random = new byte[4];
		new SecureRandom().nextBytes(random);
		return new ReplicaId(host.substring(0, Math.min(host.length(), MAX_HOST)) + "-"
				+ HexFormat.of().formatHex(random));
	}

	@Override
	public String toString() {
		return value;
	}

}
