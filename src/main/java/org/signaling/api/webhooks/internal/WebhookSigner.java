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
 * The webhook signature: {@code v1=} and the hex HMAC-SHA256, keyed with the secret's UTF-8 bytes, of the unix
 * timestamp, a dot and the body. With two valid secrets (during a rotation) the header carries both, comma
 * separated, so a receiver configured with either accepts the delivery.
 */
public final class WebhookSigner {

	public static final String VERSION = "v1";

	private static final SecureRandom RANDOM = new SecureRandom();

	private WebhookSigner() {
	}

	/** The {@code X-Signaling-Signature} value. */
	public static String header(List<String> secrets, long timestamp, byte[] body) {
		return secrets.stream()
			.map((secret) -> VERSION + "=" + sign(secret, timestamp, body))
			.collect(Collectors.joining(","));
	}

	public static String sign(String secret, long timestamp, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(mac.doFinal(body));
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A new secret: "whsec_" and 32 random bytes, base64url. */
	public static String newSecret() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/** A new id with a prefix and 128 random bits in hex. */
	public static String newId(String prefix) {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return prefix + HexFormat.of().formatHex(bytes);
	}

}
