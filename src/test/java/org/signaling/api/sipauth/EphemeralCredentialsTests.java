package org.signaling.api.sipauth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The credentials Kamailio's auth_ephemeral accepts ({@code username_format} 1, {@code sha_algorithm} 1). */
class EphemeralCredentialsTests {

	static final String SECRET = "0123456789abcdef0123456789abcdef";

	/**
	 * {@code printf '%s' '1700000000:5001' | openssl dgst -sha256 -hmac 0123456789abcdef0123456789abcdef -binary |
	 * base64}: what Kamailio computes for this username, by a tool that shares no code with the service.
	 */
	static final String OPENSSL_PASSWORD = "5++AXl1hiwcAvBYABBRGpN+hJDqHDUv/cx/seOWDDJ0=";

	@Test
	void theUsernameIsTheExpiryAColonAndTheDn() {
		assertThat(EphemeralCredentials.username(1700000000L, "5001")).isEqualTo("1700000000:5001");
	}

	@Test
	void thePasswordIsTheBase64HmacSha256OfTheUsernameUnderTheSecret() throws Exception {
		String password = new EphemeralCredentials(SECRET).password("1700000000:5001");

		assertThat(password).isEqualTo(OPENSSL_PASSWORD).isEqualTo(independentHmac(SECRET, "1700000000:5001"));
	}

	@Test
	void anotherSecretOrUsernameGivesAnotherPassword() throws Exception {
		EphemeralCredentials credentials = new EphemeralCredentials(SECRET);

		assertThat(credentials.password("1700000001:5001")).isNotEqualTo(OPENSSL_PASSWORD)
			.isEqualTo(independentHmac(SECRET, "1700000001:5001"));
		assertThat(new EphemeralCredentials(SECRET.toUpperCase()).password("1700000000:5001"))
			.isNotEqualTo(OPENSSL_PASSWORD);
	}

	/** The password as the design states it, computed here without the class under test. */
	static String independentHmac(String secret, String username) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
	}

}
