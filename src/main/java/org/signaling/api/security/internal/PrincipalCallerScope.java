package org.signaling.api.security.internal;

import org.jspecify.annotations.Nullable;
import org.signaling.api.security.ApiPrincipal;
import org.signaling.api.security.Scopes;
import org.signaling.api.shared.CallerScope;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/** The current request's {@link ApiPrincipal} as the features see it: one rule for who is confined to a DN. */
@Component
class PrincipalCallerScope implements CallerScope {

	@Override
	public @Nullable String confinedDn() {
		ApiPrincipal caller = caller();
		if (caller == null || caller.dn() == null || caller.has(Scopes.SUPERVISE)) {
			return null;
		}
		return caller.dn();
	}

	@Override
	public @Nullable String boundDn() {
		ApiPrincipal caller = caller();
		return (caller != null) ? caller.dn() : null;
	}

	@Override
	public String credentialId() {
		ApiPrincipal caller = caller();
		return (caller != null) ? caller.id() : "anonymous";
	}

	private static @Nullable ApiPrincipal caller() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return (authentication != null && authentication.getPrincipal() instanceof ApiPrincipal principal) ? principal
				: null;
	}

}
