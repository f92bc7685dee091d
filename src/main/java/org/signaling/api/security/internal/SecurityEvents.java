package org.signaling.api.security.internal;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.signaling.api.security.ApiPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 in the API's {@code {"error": "..."}} shape, each logged as a security event (who, from where, what,
 * why; never the credential) and counted in {@code signaling.security.denied}.
 */
final class SecurityEvents implements AuthenticationEntryPoint, AccessDeniedHandler {

	private static final Logger log = LoggerFactory.getLogger("security");

	private final ClientIpResolver clientIps;

	private final MeterRegistry meters;

	SecurityEvents(ClientIpResolver clientIps, MeterRegistry meters) {
		this.clientIps = clientIps;
		this.meters = meters;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
			throws IOException {
		boolean presented = ApiKeyAuthenticationFilter.presentedKey(request) != null
				|| request.getHeader("Authorization") != null;
		String reason;
		String message;
		if (!presented) {
			reason = "missing_credential";
			message = "Authentication required: send an API key (X-API-Key or Authorization: Bearer) or a JWT";
		}
		else if (failure instanceof OAuth2AuthenticationException) {
			reason = "invalid_token";
			message = "Invalid or expired token";
			response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
		}
		else {
			reason = "invalid_credential";
			message = "Invalid API key";
		}
		if (!response.containsHeader("WWW-Authenticate")) {
			response.setHeader("WWW-Authenticate", "Bearer");
		}
		record(request, HttpStatus.UNAUTHORIZED, reason, "anonymous");
		JsonErrorWriter.write(response, HttpStatus.UNAUTHORIZED, message);
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
			throws IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		String who = (authentication != null && authentication.getPrincipal() instanceof ApiPrincipal principal)
				? principal.id() : "anonymous";
		record(request, HttpStatus.FORBIDDEN, "missing_scope", who);
		JsonErrorWriter.write(response, HttpStatus.FORBIDDEN,
				"Forbidden: this credential lacks the scope " + requiredScope(request));
	}

	private void record(HttpServletRequest request, HttpStatus status, String reason, String who) {
		log.atWarn()
			.addKeyValue("event", "security.denied")
			.addKeyValue("reason", reason)
			.addKeyValue("status", status.value())
			.addKeyValue("who", who)
			.addKeyValue("client_ip", clientIps.clientIp(request))
			.addKeyValue("method", request.getMethod())
			.addKeyValue("path", request.getRequestURI())
			.log("Denied {} {}: {}", request.getMethod(), request.getRequestURI(), reason);
		Counter.builder("signaling.security.denied").tag("reason", reason).register(meters).increment();
	}

	private static String requiredScope(HttpServletRequest request) {
		String path = request.getRequestURI();
		if (HttpMethod.POST.matches(request.getMethod()) && path.equals("/api/call/hangup")) {
			return "calls or supervise";
		}
		if (HttpMethod.POST.matches(request.getMethod()) && path.equals("/api/call/make")) {
			return "calls";
		}
		if (path.startsWith("/actuator")) {
			return "admin";
		}
		return "read";
	}

}
