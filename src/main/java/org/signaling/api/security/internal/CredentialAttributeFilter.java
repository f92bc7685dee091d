package org.signaling.api.security.internal;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.signaling.api.security.ApiPrincipal;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Names the request's credential ("key:NAME", "jwt:SUBJECT") in a request attribute once the chain is done, for
 * Tomcat's access log ({@code %{signaling.credential}r}, server.tomcat.accesslog in application.yml): Tomcat writes
 * the line after the security context is gone, so the name has to be left on the request. Never the key itself.
 */
class CredentialAttributeFilter extends OncePerRequestFilter {

	static final String ATTRIBUTE = "signaling.credential";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		finally {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			if (authentication != null && authentication.getPrincipal() instanceof ApiPrincipal principal) {
				request.setAttribute(ATTRIBUTE, principal.id());
			}
		}
	}

}
