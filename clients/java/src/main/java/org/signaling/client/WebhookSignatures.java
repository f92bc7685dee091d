package org.signaling.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies the service's webhook requests.
 *
 * <p>
 * <a href="https://www.standardwebhooks.com/">Standard Webhooks</a>, what new receivers verify:
 * {@code webhook-id} (the event id, the same on every retry), {@code webhook-timestamp} (unix seconds, checked
 * against a tolerance so that a recorded request cannot be replayed later) and {@code webhook-signature}, a
 * space-separated list of {@code v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>} (two entries
 * while the service rotates a secret):
 *
 * <pre>{@code
 * boolean ok = WebhookSignatures.verifyStandard(secret, rawBody, request::getHeader);
 * }</pre>
 *
 * <p>
 * The deprecated {@code X-Signaling-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>} and
 * {@code X-Signaling-Timestamp} headers are still sent, and still verified by {@link #verify(String, byte[], String,
 * String)}.
 */
public final class WebhookSignatures {

	/** How far {@code webhook-timestamp} may be from the clock, in either direction, by default. */
	public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

	private static final String SECRET_PREFIX = "whsec_";

	// 32 bytes of HMAC-SHA256 in standard base64, always padded
	private static final Pattern SIGNATURE_VALUE = Pattern.compile("[A-Za-z0-9+/]{43}=");

	private static final Pattern SECONDS = Pattern.compile("\\d{1,12}");

	private WebhookSignatures() {
	}

	/**
	 * Verifies a Standard Webhooks request with the default tolerance (5 minutes) and the system clock.
	 * @param secret the subscription's secret
	 * @param body the raw request body, before any JSON parsing
	 * @param headers the request's header by name, e.g. {@code request::getHeader} of a servlet request; it is
	 * asked for {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature}
	 * @return whether the request is the service's, signed with {@code secret}, and fresh
	 */
	public static boolean verifyStandard(String secret, byte[] body, Function<String, String> headers) {
		return verifyStandard(List.of(requireSecret(secret)), body, headers.apply("webhook-id"),
				headers.apply("webhook-timestamp"), headers.apply("webhook-signature"), DEFAULT_TOLERANCE,
				Clock.systemUTC());
	}

	/**
	 * Verifies a Standard Webhooks request. Every comparison is made, each in constant time
	 * ({@link MessageDigest#isEqual}). Missing or malformed headers are {@code false}, never an exception.
	 * @param secrets the secrets to accept (e.g. your old and new one while you switch); {@code whsec_} followed by
	 * base64 (standard or URL-safe alphabet, padding optional) is used decoded, any other secret as its UTF-8 bytes
	 * @param body the raw request body, before any JSON parsing
	 * @param id the {@code webhook-id} header
	 * @param timestamp the {@code webhook-timestamp} header
	 * @param signature the {@code webhook-signature} header
	 * @param tolerance how far the timestamp may be from the clock, in either direction
	 * @param clock the current time
	 * @return whether the timestamp is within {@code tolerance} and a {@code v1} entry is the HMAC of one of
	 * {@code secrets}
	 * @throws IllegalArgumentException when no secret is given, or an empty one
	 */
	public static boolean verifyStandard(List<String> secrets, byte[] body, String id, String timestamp,
			String signature, Duration tolerance, Clock clock) {
		List<byte[]> keys = requireSecrets(secrets).stream().map(WebhookSignatures::standardKey).toList();
		if (body == null || id == null || id.isEmpty() || signature == null || !fresh(timestamp, tolerance, clock)) {
			return false;
		}
		List<byte[]> given = new ArrayList<>();
		for (String entry : signature.split(" ")) {
			if (entry.startsWith("v1,") && SIGNATURE_VALUE.matcher(entry).region(3, entry.length()).matches()) {
				given.add(Base64.getDecoder().decode(entry.substring(3)));
			}
		}
		byte[] signed = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
		boolean valid = false;
		for (byte[] key : keys) {
			byte[] expected = hmac(key, signed, body);
			for (byte[] candidate : given) {
				valid |= MessageDigest.isEqual(candidate, expected);
			}
		}
		return valid;
	}

	/**
	 * The {@code webhook-signature} value the service sends for this request (for receivers' own tests).
	 * @param secret the subscription's secret
	 * @param id the {@code webhook-id}
	 * @param timestamp the {@code webhook-timestamp} (unix seconds)
	 * @param body the raw request body
	 * @return {@code v1,<base64>}
	 */
	public static String signStandard(String secret, String id, String timestamp, byte[] body) {
		byte[] signed = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
		return "v1," + Base64.getEncoder().encodeToString(hmac(standardKey(requireSecret(secret)), signed, body));
	}

	/**
	 * The HMAC key of a secret, the same rule as the service's and the JavaScript client's: {@code whsec_} followed
	 * by base64 is the decoded bytes, as Standard Webhooks defines its secrets. The URL-safe alphabet is accepted
	 * too, because older releases generated {@code whsec_} + unpadded base64url: with the standard alphabet alone,
	 * whether such a secret is decoded would depend on whether its random characters happen to include {@code -} or
	 * {@code _}. Anything else is a secret someone picked by hand, never meant as base64: its key is the UTF-8 of the
	 * whole string.
	 */
	static byte[] standardKey(String secret) {
		if (secret.startsWith(SECRET_PREFIX)) {
			String encoded = secret.substring(SECRET_PREFIX.length());
			for (Base64.Decoder decoder : List.of(Base64.getDecoder(), Base64.getUrlDecoder())) {
				try {
					// padding optional, but right when present; one alphabet per secret
					byte[] key = decoder.decode(encoded);
					if (key.length > 0) {
						return key;
					}
				}
				catch (IllegalArgumentException notThisAlphabet) {
					// the other alphabet, or a hand-picked secret
				}
			}
		}
		return secret.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Verifies the deprecated headers with the default tolerance (5 minutes) and the system clock.
	 * @param secret the subscription's secret
	 * @param body the raw request body, before any JSON parsing
	 * @param timestamp the {@code X-Signaling-Timestamp} header
	 * @param signature the {@code X-Signaling-Signature} header
	 * @return whether the request is the service's, signed with {@code secret}, and fresh
	 * @deprecated the service also sends Standard Webhooks headers: use
	 * {@link #verifyStandard(String, byte[], Function)}
	 */
	@Deprecated
	public static boolean verify(String secret, byte[] body, String timestamp, String signature) {
		return verify(List.of(requireSecret(secret)), body, timestamp, signature, DEFAULT_TOLERANCE,
				Clock.systemUTC());
	}

	/**
	 * Verifies the deprecated headers. Every comparison is made, each in constant time
	 * ({@link MessageDigest#isEqual}).
	 * @param secrets the secrets to accept (e.g. your old and new one while you switch), used as their UTF-8 bytes
	 * @param body the raw request body, before any JSON parsing
	 * @param timestamp the {@code X-Signaling-Timestamp} header
	 * @param signature the {@code X-Signaling-Signature} header
	 * @param tolerance how far the timestamp may be from the clock, in either direction
	 * @param clock the current time
	 * @return whether the timestamp is within {@code tolerance} and one of the {@code v1=} values is the HMAC of one
	 * of {@code secrets}
	 * @throws IllegalArgumentException when no secret is given, or an empty one
	 * @deprecated the service also sends Standard Webhooks headers: use
	 * {@link #verifyStandard(List, byte[], String, String, String, Duration, Clock)}
	 */
	@Deprecated
	public static boolean verify(List<String> secrets, byte[] body, String timestamp, String signature,
			Duration tolerance, Clock clock) {
		requireSecrets(secrets);
		if (body == null || signature == null || timestamp == null || !fresh(timestamp.trim(), tolerance, clock)) {
			return false;
		}
		String seconds = timestamp.trim();
		List<byte[]> given = new ArrayList<>();
		for (String part : signature.split(",")) {
			String value = part.trim();
			if (value.startsWith("v1=") && value.substring(3).matches("[0-9a-fA-F]{64}")) {
				given.add(HexFormat.of().parseHex(value.substring(3)));
			}
		}
		byte[] signed = (seconds + ".").getBytes(StandardCharsets.US_ASCII);
		boolean valid = false;
		for (String secret : secrets) {
			byte[] expected = hmac(secret.getBytes(StandardCharsets.UTF_8), signed, body);
			for (byte[] candidate : given) {
				valid |= MessageDigest.isEqual(candidate, expected);
			}
		}
		return valid;
	}

	/**
	 * The deprecated header value the service sends for this body (for receivers' own tests).
	 * @param secret the subscription's secret
	 * @param timestamp the {@code X-Signaling-Timestamp} (unix seconds)
	 * @param body the raw request body
	 * @return {@code v1=<hex>}
	 * @deprecated use {@link #signStandard(String, String, String, byte[])}
	 */
	@Deprecated
	public static String sign(String secret, String timestamp, byte[] body) {
		byte[] signed = (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
		return "v1=" + HexFormat.of().formatHex(hmac(requireSecret(secret).getBytes(StandardCharsets.UTF_8), signed,
				body));
	}

	private static String requireSecret(String secret) {
		return requireSecrets(Collections.singletonList(secret)).get(0);
	}

	private static List<String> requireSecrets(List<String> secrets) {
		if (secrets == null || secrets.isEmpty() || secrets.stream().anyMatch((s) -> s == null || s.isEmpty())) {
			throw new IllegalArgumentException("at least one non-empty secret is required");
		}
		return secrets;
	}

	// too old or from the future: a replay
	private static boolean fresh(String timestamp, Duration tolerance, Clock clock) {
		if (timestamp == null || !SECONDS.matcher(timestamp).matches()) {
			return false;
		}
		long age = clock.instant().getEpochSecond() - Long.parseLong(timestamp);
		return Math.abs(age) <= tolerance.toSeconds();
	}

	private static byte[] hmac(byte[] key, byte[] signed, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			mac.update(signed);
			return mac.doFinal(body);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 unavailable", ex);
		}
	}

}
