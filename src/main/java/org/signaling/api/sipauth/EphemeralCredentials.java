package org.signaling.api.sipauth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The credentials Kamailio's {@code auth_ephemeral} checks with {@code username_format} 1 and {@code sha_algorithm}
 * 1: the username is {@code <expiry epoch seconds>:<dn>}, the password the standard Base64 (with padding) of
 * HMAC-SHA256 over the username's UTF-8 bytes, keyed with the shared secret's UTF-8 bytes. Kamailio computes the
 * same password from the username the client sends, and refuses it once the expiry is past.
 */
final class EphemeralCredentials {

	private static final String HMAC_SHA256 = "HmacSHA256";

	private final SecretKeySpec key;

	EphemeralCredentials(String secret) {
		this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC_SHA256);
	}

	static String username(long expiresAt, String dn) {
		return expiresAt + ":" + dn;
	}

	String password(String username) {
		try {
			// A Mac is not thread-safe and cheap to make: one per password.
			Mac mac = Mac.getInstance(HMAC_SHA256);
			mac.init(key);
			return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

}
