package org.signaling.api.pages;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Security headers of the pages and their assets (the API's responses are left as they are). Spring Security adds
 * its defaults on top (nosniff, HSTS, {@code X-Frame-Options: DENY}, which browsers ignore when {@code frame-ancestors}
 * is present).
 *
 * <ul>
 * <li>A Content Security Policy that allows only the service's own scripts and styles (no inline script, no
 * {@code eval}), fetches to the service itself and the one WebSocket to Kamailio, and framing only by the configured
 * origins (WWE);</li>
 * <li>no referrer, so a page's address never leaks to Kamailio or elsewhere;</li>
 * <li>the microphone for the page's own origin only (an embedding frame must also grant it with
 * {@code allow="microphone"}).</li>
 * </ul>
 */
final class PageHeadersFilter extends OncePerRequestFilter {

	private final String contentSecurityPolicy;

	PageHeadersFilter(String websocketOrigin, List<String> frameAncestors) {
		this.contentSecurityPolicy = contentSecurityPolicy(websocketOrigin, frameAncestors);
	}

	static String contentSecurityPolicy(String websocketOrigin, List<String> frameAncestors) {
		return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; "
				+ "connect-src 'self' " + websocketOrigin + "; object-src 'none'; base-uri 'none'; form-action 'self'; "
				+ "frame-ancestors " + (frameAncestors.isEmpty() ? "'none'" : String.join(" ", frameAncestors));
	}

	/** The pages' paths: {@code /}, {@code /agent}, {@code /agent/config.json} and {@code /assets/**}. */
	static boolean isPage(String path) {
		return "/".equals(path) || "/agent".equals(path) || "/agent/config.json".equals(path)
				|| path.startsWith("/assets/");
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !isPage(request.getRequestURI().substring(request.getContextPath().length()));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		response.setHeader("Content-Security-Policy", contentSecurityPolicy);
		response.setHeader("Referrer-Policy", "no-referrer");
		response.setHeader("Permissions-Policy", "microphone=(self), camera=(), geolocation=(), payment=(), usb=()");
		response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
		response.setHeader("X-Content-Type-Options", "nosniff");
		chain.doFilter(request, response);
	}

}
