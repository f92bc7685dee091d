package org.signaling.api.security.internal;

import java.util.List;

import org.signaling.api.security.ApiPrincipal;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** An authenticated request: its {@link ApiPrincipal}, with one {@code SCOPE_x} authority per scope. */
final class ApiPrincipalAuthentication extends AbstractAuthenticationToken {

	private final ApiPrincipal principal;

	ApiPrincipalAuthentication(ApiPrincipal principal) {
		super(principal.scopes().stream().map((scope) -> new SimpleGrantedAuthority("SCOPE_" + scope)).toList());
		this.principal = principal;
		setAuthenticated(true);
	}

	@Override
	public Object getCredentials() {
		// The credential is not kept once checked.
		return "";
	}

	@Override
	public ApiPrincipal getPrincipal() {
		return principal;
	}

	@Override
	public String getName() {
		return principal.name();
	}

	static List<String> scopesOf(ApiPrincipal principal) {
		return List.copyOf(principal.scopes());
	}

}
