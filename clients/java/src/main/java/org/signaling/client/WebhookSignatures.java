package org.signaling.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies the service's webhook requests: {@code X-Signaling-Signature: v1=<hex HMAC-SHA256(secret, timestamp +
 * "." + body)>} (two {@code v1=} values while the service rotates a secret) and {@code X-Signaling-Timestamp} (unix
 * seconds) within a tolerance, so a recorded request cannot be replayed later.
 *
 * <pre>{@code
 * boolean ok = WebhookSignatures.verify(secret, rawBody, request.getHeader("X-Signaling-Timestamp"),
 *         request.getHeader("X-Signaling-Signature"));
 * }</pre>
 */
public final class WebhookSignatures {

	public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

	private WebhookSignatures() {
	}

	/** With the default tolerance (5 minutes) and the system clock. */
	public static boolean verify(String secret, byte[] body, String timestamp, String signature) {
		return verify(List.of(secret), body, timestamp, signature, DEFAULT_TOLERANCE, Clock.systemUTC());
	}

	/**
	 * True when the timestamp is within {@code tolerance} of the clock and one of the {@code v1=} values is the
	 * HMAC of one of {@code secrets} (e.g. your old and new secret while you switch). Every comparison is made, each
	 * in constant time ({@link MessageDigest#isEqual}).
	 * @param body the raw request body, before any JSON parsing
	 */
	public static boolean verify(List<String> secrets, byte[] body, String timestamp, String signature,
			Duration tolerance, Clock clock) {
		if (secrets == null || secrets.isEmpty() || secrets.stream().anyMatch((s) -> s == null || s.isEmpty())) {
			throw new IllegalArgumentException("at least one non-empty secret is required");
		}
		if (body == null || timestamp == null || signature == null || !timestamp.trim().matches("\\d{1,12}")) {
			return false;
		}
		String seconds = timestamp.trim();
		long age = clock.instant().getEpochSecond() - Long.parseLong(seconds);
		if (Math.abs(age) > tolerance.toSeconds()) {
			return false;
		}
		List<byte[]> given = new ArrayList<>();
		for (String part : signature.split(",")) {
			String value = part.trim();
			if (value.startsWith("v1=") && value.substring(3).matches("[0-9a-fA-F]{64}")) {
				given.add(HexFormat.of().parseHex(value.substring(3)));
			}
		}
		boolean valid = false;
		for (String secret : secrets) {
			byte[] expected = hmac(secret, seconds, body);
			for (byte[] candidate : given) {
				valid |= MessageDigest.isEqual(candidate, expected);
			}
		}
		return valid;
	}

	/** The header value the service sends for this body: {@code v1=<hex>} (for receivers' own tests). */
	public static String sign(String secret, String timestamp, byte[] body) {
		return "v1=" + HexFormat.of().formatHex(hmac(secret, timestamp, body));
	}

	private static byte[] hmac(String secret, String timestamp, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
			return mac.doFinal(body);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 unavailable", ex);
		}
	}

}
