package org.signaling.api.webhooks.internal;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook signatures. With two valid secrets (during a rotation) each header carries both, so a receiver
 * configured with either accepts the delivery.
 * <ul>
 * <li>Standard Webhooks ({@code webhook-signature}): {@code v1,} and the base64 HMAC-SHA256 of
 * {@code <webhook-id>.<webhook-timestamp>.<body>}, keyed with the secret's base64 after {@code whsec_} decoded, as
 * off-the-shelf verifiers expect.</li>
 * <li>Deprecated, for one release ({@code X-Signaling-Signature}): {@code v1=} and the hex HMAC-SHA256, keyed with
 * the whole secret's UTF-8 bytes, of the timestamp, a dot and the body.</li>
 * </ul>
 * The clients' verifiers (clients/java WebhookSignatures, clients/js webhooks.js) apply the same key rule.
 */
public final class WebhookSigner {

	public static final String VERSION = "v1";

	private static final String SECRET_PREFIX = "whsec_";

	private static final SecureRandom RANDOM = new SecureRandom();

	private WebhookSigner() {
	}

	/** The {@code webhook-signature} value: {@code v1,<base64>} per secret, space separated. */
	public static String standardHeader(List<String> secrets, String messageId, long timestamp, byte[] body) {
		return secrets.stream()
			.map((secret) -> VERSION + "," + Base64.getEncoder()
				.encodeToString(hmac(standardKey(secret), (messageId + "." + timestamp + ".").getBytes(
						StandardCharsets.UTF_8), body)))
			.collect(Collectors.joining(" "));
	}

	/**
	 * The HMAC key of a secret in the standard form: the bytes its base64 after {@code whsec_} stands for (one
	 * alphabet, padding optional). Secrets generated before this form was adopted are base64url, so that alphabet is
	 * read too. A hand-picked secret that is not base64 keys with its own UTF-8 bytes (only verifiers told so, such
	 * as this project's clients, accept it). The clients apply exactly this rule.
	 */
	static byte[] standardKey(String secret) {
		if (secret.startsWith(SECRET_PREFIX)) {
			String encoded = secret.substring(SECRET_PREFIX.length());
			for (Base64.Decoder decoder : List.of(Base64.getDecoder(), Base64.getUrlDecoder())) {
				try {
					byte[] key = decoder.decode(encoded);
					if (key.length > 0) {
						return key;
					}
				}
				catch (IllegalArgumentException notThisAlphabet) {
					// the next alphabet, or the raw secret
				}
			}
		}
		return secret.getBytes(StandardCharsets.UTF_8);
	}

	/** The deprecated {@code X-Signaling-Signature} value. */
	public static String header(List<String> secrets, long timestamp, byte[] body) {
		return secrets.stream()
			.map((secret) -> VERSION + "=" + sign(secret, timestamp, body))
			.collect(Collectors.joining(","));
	}

	public static String sign(String secret, long timestamp, byte[] body) {
		return HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8),
				(timestamp + ".").getBytes(StandardCharsets.UTF_8), body));
	}

	private static byte[] hmac(byte[] key, byte[] prefix, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			mac.update(prefix);
			return mac.doFinal(body);
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A new secret in the Standard Webhooks form: "whsec_" and 32 random bytes in base64. */
	public static String newSecret() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return SECRET_PREFIX + Base64.getEncoder().encodeToString(bytes);
	}

	/** A new id with a prefix and 128 random bits in hex. */
	public static String newId(String prefix) {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return prefix + HexFormat.of().formatHex(bytes);
	}

}
