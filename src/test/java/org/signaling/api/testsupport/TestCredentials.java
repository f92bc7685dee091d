package org.signaling.api.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;

/**
 * The credentials configured for tests in application-test.yml: API keys (their hashes are there, the plain keys
 * here) and HS256 JWTs signed with the test secret.
 */
public final class TestCredentials {

	/** Scope admin. */
	public static final String ADMIN_KEY = "sk_ZJaWZvcmyrc0zEhgBI9wvOz16entHYVzZD48qJkwWDc";

	/** Scope read. */
	public static final String READER_KEY = "sk_azgSi-JENyPa9FlfOjbbhmvXYQZ5Fq8HUgx-GFUuZAo";

	/** Scope calls. */
	public static final String CALLER_KEY = "sk_RiSXzcelFOMbnQekkowatoqiEgJCqH-G1M8xecvaKiA";

	public static final String JWT_SECRET = "test-only-hs256-secret-of-at-least-32-bytes";

	/** The agents' SIP credentials' secret of the tests that set {@code signaling.sip-auth.secret} (32 bytes). */
	public static final String SIP_AUTH_SECRET = "0123456789abcdef0123456789abcdef";

	public static final String ISSUER = "https://idp.test.invalid";

	public static final String AUDIENCE = "signaling-api";

	private TestCredentials() {
	}

	/** A valid token for the subject with these claims (scope, dn, ...), expiring in an hour. */
	public static String jwt(String subject, Map<String, Object> claims) {
		return jwt(subject, claims, ISSUER, AUDIENCE, Instant.now().plus(Duration.ofHours(1)), JWT_SECRET);
	}

	/** A token signed with {@code secret}; a null {@code expiresAt} leaves {@code exp} out. */
	public static String jwt(String subject, Map<String, Object> claims, String issuer, String audience,
			@Nullable Instant expiresAt, String secret) {
		JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().subject(subject)
			.issuer(issuer)
			.audience(audience)
			.issueTime(Date.from(Instant.now().minusSeconds(5)))
			.expirationTime((expiresAt != null) ? Date.from(expiresAt) : null);
		claims.forEach(builder::claim);
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), builder.build());
		try {
			jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

}
