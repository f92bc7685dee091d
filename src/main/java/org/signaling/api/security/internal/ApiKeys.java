package org.signaling.api.security.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.signaling.api.security.ApiPrincipal;
import org.signaling.api.security.ApiSecurityProperties.ApiKey;

/**
 * The configured API keys, by the SHA-256 of the key. Keys are 256-bit random tokens ({@code sk_} and 43 base64url
 * characters), so a fast hash is as good as a slow one against guessing, and a request costs one SHA-256 and one map
 * lookup. The plain key exists only in the request; it is never stored, logged or compared as text.
 */
final class ApiKeys {

	/** What a key looks like; anything else is refused without hashing. */
	static final Pattern FORMAT = Pattern.compile("sk_[A-Za-z0-9_-]{20,128}");

	private final Map<String, ApiKey> byHash = new HashMap<>();

	ApiKeys(List<ApiKey> keys) {
		for (ApiKey key : keys) {
			String hash = key.hash().substring("sha256:".length());
			if (byHash.putIfAbsent(hash, key) != null) {
				throw new IllegalArgumentException("signaling.security.api-keys: two entries have the same hash ("
						+ key.name() + ", " + byHash.get(hash).name() + ")");
			}
		}
	}

	Optional<ApiPrincipal> authenticate(String presented) {
		if (!FORMAT.matcher(presented).matches()) {
			return Optional.empty();
		}
		ApiKey key = byHash.get(sha256Hex(presented));
		if (key == null) {
			return Optional.empty();
		}
		return Optional.of(new ApiPrincipal(key.name(), ApiPrincipal.Kind.API_KEY, key.scopes(), null,
				key.requestsPerHour(), key.callsPerSecond()));
	}

	static String sha256Hex(String value) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
