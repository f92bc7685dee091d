package org.signaling.api.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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

	/** Scope metrics: a Prometheus scraper's. */
	public static final String SCRAPER_KEY = "sk_Kq9FYF4q66fUxxYopY6Lbk3Jd0vMKjVN1oj_vY4xxaE";

	public static final String JWT_SECRET = "test-only-hs256-secret-of-at-least-32-bytes";

	/**
	 * The agents' SIP credentials' secret (32 bytes) that the tests' Kamailio (environment SIP_AUTH_SECRET, see
	 * {@link KamailioProcess}) and the tests' service ({@code signaling.sip-auth.secret}) share.
	 */
	public static final String SIP_AUTH_SECRET = "0123456789abcdef0123456789abcdef";

	public static final String ISSUER = "https://idp.test.invalid";

	public static final String AUDIENCE = "signaling-api";

	private TestCredentials() {
	}

	/** SIP credentials for {@code dn} valid for an hour, as {@code POST /api/agent/sip-credentials} issues them. */
	public static SipCredentials sipCredentials(String dn) {
		return sipCredentials(dn, Instant.now().plus(Duration.ofHours(1)), SIP_AUTH_SECRET);
	}

	/**
	 * SIP credentials in auth_ephemeral's form: username {@code "<expiry>:<dn>"}, password the Base64 HMAC-SHA256 of
	 * the username with {@code secret}. Computed here independently of the service, so tests can also make expired
	 * ones and ones with another secret.
	 */
	public static SipCredentials sipCredentials(String dn, Instant expiresAt, String secret) {
		String username = expiresAt.getEpochSecond() + ":" + dn;
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			byte[] digest = mac.doFinal(username.getBytes(StandardCharsets.UTF_8));
			return new SipCredentials(username, Base64.getEncoder().encodeToString(digest));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A SIP username and password. */
	public record SipCredentials(String username, String password) {
	}

	/**
	 * An agent token for {@code dn}, as an identity provider issues one to the agent softphone: the DN claim, the
	 * scopes {@code read} (its event stream) and {@code calls}, signed with the test secret, valid for an hour.
	 */
	public static String agentToken(String dn) {
		return jwt("agent-" + dn, Map.of("scope", "read calls", "dn", dn));
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
