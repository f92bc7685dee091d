package org.signaling.api.security.internal;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.signaling.api.security.ApiPrincipal;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates API keys, sent as {@code X-API-Key: sk_...} or {@code Authorization: Bearer sk_...} (other bearer
 * tokens are JWTs and left to the resource server). A key that does not match is refused with 401 at once.
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

	static final String HEADER = "X-API-Key";

	private static final String BEARER = "Bearer ";

	private final ApiKeys keys;

	private final AuthenticationEntryPoint entryPoint;

	ApiKeyAuthenticationFilter(ApiKeys keys, AuthenticationEntryPoint entryPoint) {
		this.keys = keys;
		this.entryPoint = entryPoint;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String presented = presentedKey(request);
		if (presented == null) {
			chain.doFilter(request, response);
			return;
		}
		Optional<ApiPrincipal> principal = keys.authenticate(presented);
		if (principal.isEmpty()) {
			SecurityContextHolder.clearContext();
			entryPoint.commence(request, response, new BadCredentialsException("Invalid API key"));
			return;
		}
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(new ApiPrincipalAuthentication(principal.get()));
		SecurityContextHolder.setContext(context);
		chain.doFilter(request, response);
	}

	static @Nullable String presentedKey(HttpServletRequest request) {
		String header = request.getHeader(HEADER);
		if (header != null) {
			return header.trim();
		}
		String authorization = request.getHeader("Authorization");
		if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			String token = authorization.substring(BEARER.length()).trim();
			if (token.startsWith("sk_")) {
				return token;
			}
		}
		return null;
	}

}
