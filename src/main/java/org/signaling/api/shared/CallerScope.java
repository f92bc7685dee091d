package org.signaling.api.shared;

import org.jspecify.annotations.Nullable;

/**
 * Port: what the caller of the current request may see, for the features that answer it. Implemented by the
 * security module from the request's authenticated credential.
 */
public interface CallerScope {

	/**
	 * The DN the caller is confined to: an agent token (a JWT with the DN claim) without {@code supervise} or
	 * {@code admin} sees only its own DN, its calls and their events. {@code null} when the caller may see every
	 * DN (API keys, supervisor and admin tokens).
	 */
	@Nullable String confinedDn();

	/**
	 * The DN the caller's credential is bound to: an agent token's DN claim, whatever its scopes. {@code null} for API
	 * keys and tokens without the DN claim. Unlike {@link #confinedDn()}, {@code supervise} and {@code admin} do not
	 * lift it: it is who the caller is, not what it may see.
	 */
	@Nullable String boundDn();

	/** The caller's credential ("key:NAME", "jwt:SUBJECT"), to count what one credential holds open. */
	String credentialId();

	/** Whether the caller may see a DN. */
	default boolean maySee(String dn) {
		String confined = confinedDn();
		return confined == null || confined.equals(dn);
	}

}
