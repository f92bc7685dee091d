package org.signaling.api.web;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * An {@code Accept} header that does not parse ({@code a/b/c}, {@code ;;;}) says nothing about what the client
 * takes; the request is answered as if it had none (RFC 9110 12.5.1 lets a server disregard Accept). Otherwise Spring
 * could not negotiate even the error's content type and would answer 406 with an empty body.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class UnparsableAcceptFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		chain.doFilter(isParsable(request) ? request : new WithoutAccept(request), response);
	}

	private static boolean isParsable(HttpServletRequest request) {
		Enumeration<String> values = request.getHeaders(HttpHeaders.ACCEPT);
		try {
			while (values != null && values.hasMoreElements()) {
				MediaType.parseMediaTypes(values.nextElement());
			}
			return true;
		}
		catch (IllegalArgumentException ex) {
			// InvalidMediaTypeException, or a bad quality value
			return false;
		}
	}

	private static final class WithoutAccept extends HttpServletRequestWrapper {

		WithoutAccept(HttpServletRequest request) {
			super(request);
		}

		@Override
		public @Nullable String getHeader(String name) {
			return HttpHeaders.ACCEPT.equalsIgnoreCase(name) ? null : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return HttpHeaders.ACCEPT.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			return Collections.enumeration(Collections.list(super.getHeaderNames())
				.stream()
				.filter((header) -> !HttpHeaders.ACCEPT.equalsIgnoreCase(header))
				.toList());
		}

	}

}
