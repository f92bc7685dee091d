package org.signaling.api.sipauth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code signaling.sip-auth.*}: the agents' SIP credentials.
 *
 * @param secret the secret shared with Kamailio's {@code auth_ephemeral} ({@code SIP_AUTH_SECRET}: from the
 * environment, never committed), at least 32 bytes. Not set or empty: no credentials are issued (503), and agents
 * cannot register.
 * @param ttl how long issued credentials stay valid, from 1 minute to 7 days. Nothing revokes them before they expire
 * (short of a new secret, which revokes them all), hence the upper bound.
 * @param realm the {@code realm} of the answer; not set: the agents' SIP domain (as {@code /agent/config.json}
 * serves it: {@code signaling.pages.sip-domain}, else {@code signaling.kamailio.sip-domain})
 */
@Validated
@ConfigurationProperties("signaling.sip-auth")
public record SipAuthProperties(@Nullable String secret, @DefaultValue("12h") @NotNull Duration ttl,
		@Nullable @Pattern(regexp = "[A-Za-z0-9.:\\[\\]-]+", message = "must be a host name or address") String realm) {

	static final Duration MIN_TTL = Duration.ofMinutes(1);

	static final Duration MAX_TTL = Duration.ofDays(7);

	/** Whether a secret is set: {@code ${SIP_AUTH_SECRET:}} binds an unset variable as empty. */
	public boolean isConfigured() {
		return secret != null && !secret.isEmpty();
	}

	@AssertTrue(message = "secret (SIP_AUTH_SECRET) must be at least 32 bytes")
	public boolean isSecretLongEnough() {
		return !isConfigured() || secret.getBytes(StandardCharsets.UTF_8).length >= 32;
	}

	@AssertTrue(message = "ttl must be from 1m to 7d")
	public boolean isTtlBounded() {
		return ttl == null || (ttl.compareTo(MIN_TTL) >= 0 && ttl.compareTo(MAX_TTL) <= 0);
	}

	@Override
	public String toString() {
		return "SipAuthProperties[secret=" + (isConfigured() ? "******" : "none") + ", ttl=" + ttl + ", realm=" + realm
				+ "]";
	}

}
