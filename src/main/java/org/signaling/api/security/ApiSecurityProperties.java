package org.signaling.api.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code signaling.security.*}. At least one credential (an API key or a JWT issuer) must be configured: the service
 * does not start open.
 *
 * @param apiKeys the keys accepted, by SHA-256 hash; two entries may share a name while a key is rotated
 * @param jwt tokens from the identity provider
 * @param rateLimits request limits
 * @param trustedProxies reverse proxies (IP addresses or CIDR ranges) whose {@code X-Forwarded-For} is believed
 * @param cors browser origins allowed to call the API (WWE)
 */
@Validated
@ConfigurationProperties("signaling.security")
public record ApiSecurityProperties(@DefaultValue @NotNull List<@Valid ApiKey> apiKeys,
		@DefaultValue @Valid @NotNull Jwt jwt, @DefaultValue @Valid @NotNull RateLimits rateLimits,
		@DefaultValue @NotNull List<@NotBlank String> trustedProxies,
		@DefaultValue @Valid @NotNull Cors cors) {

	static final String NO_CREDENTIAL = "no credential is configured, and the API does not run open: add an API key "
			+ "to signaling.security.api-keys (scripts/new-api-key NAME prints a new key and the hash to configure) or "
			+ "a JWT issuer in signaling.security.jwt (jwk-set-uri or hs256-secret)";

	@AssertTrue(message = NO_CREDENTIAL)
	public boolean isAnyCredentialConfigured() {
		return apiKeys == null || jwt == null || !apiKeys.isEmpty() || jwt.isConfigured();
	}

	/**
	 * One API key.
	 * @param name who holds it ("genesys-routing"); shown in audit lines, never the key
	 * @param hash {@code sha256:} and the lowercase hex SHA-256 of the key
	 * @param scopes {@code read}, {@code calls}, {@code supervise}, {@code admin}, {@code metrics}
	 * @param requestsPerHour this key's limit instead of the default
	 * @param callsPerSecond this key's make-call limit instead of the default
	 */
	public record ApiKey(@NotBlank @Pattern(regexp = "[A-Za-z0-9._-]{1,64}") String name,
			@NotNull @Pattern(regexp = "sha256:[0-9a-f]{64}",
					message = "must be sha256: and 64 lowercase hex digits") String hash,
			@NotEmpty Set<@Pattern(regexp = "read|calls|supervise|admin|metrics") String> scopes,
			@Nullable @Min(1) Integer requestsPerHour, @Nullable @Min(1) Integer callsPerSecond) {
	}

	/**
	 * JWT bearer tokens.
	 * @param jwkSetUri the identity provider's JWKS URL (RS256/ES256 tokens)
	 * @param hs256Secret a shared secret for HS256 tokens, at least 32 bytes (small set-ups)
	 * @param issuer the required {@code iss}, when set
	 * @param audience the required {@code aud}, when set
	 * @param dnClaim the claim that binds an agent token to its DN
	 */
	public record Jwt(@Nullable URI jwkSetUri, @Nullable String hs256Secret, @Nullable String issuer,
			@Nullable String audience, @DefaultValue("dn") @NotBlank String dnClaim) {

		public boolean isConfigured() {
			return jwkSetUri != null || (hs256Secret != null && !hs256Secret.isBlank());
		}

		@AssertTrue(message = "signaling.security.jwt: set jwk-set-uri or hs256-secret, not both; an hs256-secret "
				+ "needs at least 32 bytes")
		public boolean isOneKeySource() {
			boolean secret = hs256Secret != null && !hs256Secret.isBlank();
			if (secret && jwkSetUri != null) {
				return false;
			}
			return !secret || hs256Secret.getBytes(StandardCharsets.UTF_8).length >= 32;
		}

		@Override
		public String toString() {
			return "Jwt[jwkSetUri=" + jwkSetUri + ", hs256Secret=" + ((hs256Secret != null) ? "******" : "null")
					+ ", issuer=" + issuer + ", audience=" + audience + ", dnClaim=" + dnClaim + "]";
		}

	}

	/**
	 * @param perIpPerMinute requests per client IP per minute, on every path (the API, Actuator, the pages, unknown
	 * paths), health probes from {@code healthProbeNetworks} excepted
	 * @param perCredentialPerHour requests per API key or token subject per hour, unless the key sets its own
	 * @param makePerSecondPerCredential {@code POST /api/call/make} per credential per second
	 * @param makePerSecondTotal {@code POST /api/call/make} per second for all clients together (Asterisk and the
	 * trunk)
	 * @param healthProbeNetworks addresses and CIDR ranges whose {@code GET /api/health} and
	 * {@code GET /actuator/health/**} are not counted against the per-IP limit (the container's own probe: loopback)
	 */
	public record RateLimits(@DefaultValue("100") @Min(1) int perIpPerMinute,
			@DefaultValue("1000") @Min(1) int perCredentialPerHour,
			@DefaultValue("5") @Min(1) int makePerSecondPerCredential,
			@DefaultValue("20") @Min(1) int makePerSecondTotal,
			@DefaultValue({ "127.0.0.0/8", "::1/128" }) @NotNull List<@NotBlank String> healthProbeNetworks) {
	}

	/** @param allowedOrigins exact origins ("https://wwe.genesys.com"); empty: no cross-origin access */
	public record Cors(@DefaultValue @NotNull List<@Pattern(regexp = "https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?",
			message = "must be an exact origin such as https://wwe.example.com (no wildcard, no path)") String> allowedOrigins) {
	}

}
