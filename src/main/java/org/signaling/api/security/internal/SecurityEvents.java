package org.signaling.api.security.internal;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.signaling.api.security.ApiPrincipal;
import org.signaling.api.shared.ProblemType;
import org.signaling.api.shared.Problems;
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
 * 401 and 403 in the API's {@code {"error": "..."}} shape, each counted in {@code signaling.security.denied} and
 * logged as a security event (who, from where, what, why; never the credential), a few lines a second per reason at
 * most ({@link SecurityLog}).
 */
final class SecurityEvents implements AuthenticationEntryPoint, AccessDeniedHandler {

	static final String EVENT = "security.denied";

	private final ClientIpResolver clientIps;

	private final SecurityLog securityLog;

	private final MeterRegistry meters;

	/** Per reason (a few). */
	private final Map<String, Counter> denied = new ConcurrentHashMap<>();

	SecurityEvents(ClientIpResolver clientIps, SecurityLog securityLog, MeterRegistry meters) {
		this.clientIps = clientIps;
		this.securityLog = securityLog;
		this.meters = meters;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
			throws IOException {
		boolean presented = ApiKeyAuthenticationFilter.presentedKey(request) != null
				|| request.getHeader("Authorization") != null;
		String reason;
		ProblemType type = ProblemType.INVALID_CREDENTIAL;
		String message;
		if (!presented) {
			type = ProblemType.AUTHENTICATION_REQUIRED;
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
		Problems.write(response, Problems.of(type, message));
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
			throws IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		String who = (authentication != null && authentication.getPrincipal() instanceof ApiPrincipal principal)
				? principal.id() : "anonymous";
		record(request, HttpStatus.FORBIDDEN, "missing_scope", who);
		Problems.write(response, Problems.of(ProblemType.FORBIDDEN_SCOPE,
				"Forbidden: this credential lacks the scope " + requiredScope(request)));
	}

	private void record(HttpServletRequest request, HttpStatus status, String reason, String who) {
		// looked up once per reason, not per request: a registry lookup builds and sorts the tags
		denied.computeIfAbsent(reason,
				(key) -> Counter.builder("signaling.security.denied").tag("reason", key).register(meters))
			.increment();
		String method = IpRateLimitFilter.forLog(request.getMethod());
		String path = IpRateLimitFilter.forLog(request.getRequestURI());
		securityLog.warn(EVENT, reason, (line) -> line.addKeyValue("reason", reason)
			.addKeyValue("status", status.value())
			.addKeyValue("who", IpRateLimitFilter.forLog(who))
			.addKeyValue("client_ip", IpRateLimitFilter.forLog(clientIps.clientIp(request)))
			.addKeyValue("method", method)
			.addKeyValue("path", path), "Denied {} {}: {}", method, path, reason);
	}

	private static String requiredScope(HttpServletRequest request) {
		String path = request.getRequestURI();
		if (HttpMethod.POST.matches(request.getMethod()) && path.equals("/api/call/hangup")) {
			return "calls or supervise";
		}
		if (HttpMethod.POST.matches(request.getMethod()) && path.equals("/api/call/make")) {
			return "calls";
		}
		if (HttpMethod.POST.matches(request.getMethod()) && path.equals("/api/agent/sip-credentials")) {
			return "calls (or the DN claim of an agent token)";
		}
		if (path.startsWith("/actuator")) {
			return "admin";
		}
		return "read";
	}

}
