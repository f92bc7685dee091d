package org.signaling.api.security;

import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Who is calling: an API key (by its configured name) or a JWT (by its subject). The principal of every
 * authenticated request.
 *
 * @param name the key's name or the token's subject: what audit lines and rate limits use
 * @param kind how it authenticated
 * @param scopes its scopes ({@link Scopes})
 * @param dn the DN an agent token is bound to; null for keys and tokens without the DN claim
 * @param requestsPerHour this credential's own request limit; null for the default
 * @param callsPerSecond this credential's own make-call limit; null for the default
 */
public record ApiPrincipal(String name, Kind kind, Set<String> scopes, @Nullable String dn,
		@Nullable Integer requestsPerHour, @Nullable Integer callsPerSecond) {

	public ApiPrincipal {
		scopes = Set.copyOf(scopes);
	}

	public boolean has(String scope) {
		return scopes.contains(scope) || scopes.contains(Scopes.ADMIN);
	}

	/** The key rate limits and audit lines know this credential by: "key:NAME" or "jwt:SUBJECT". */
	public String id() {
		return kind.prefix + name;
	}

	public enum Kind {

		API_KEY("key:"), JWT("jwt:");

		private final String prefix;

		Kind(String prefix) {
			this.prefix = prefix;
		}

	}

}
