package org.signaling.api.security.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.signaling.api.security.ApiPrincipal;
import org.signaling.api.shared.AuditAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The audit log of call control and of SIP credentials: one structured line (logger {@code audit}) per make,
 * hang-up and SIP-credential request, whatever became of it, with who (key name or token subject), the agent DN of
 * the token, from where, what (the call; the DN and expiry of the credentials, never the password), and the result;
 * counted in {@code signaling.audit.events}. Placed right inside the security context, so it sees the caller and
 * the final status, refusals by the filters included.
 */
final class AuditFilter extends OncePerRequestFilter {

	private static final Logger audit = LoggerFactory.getLogger("audit");

	private static final String SIP_CREDENTIALS = "sip.credentials";

	/** The audited requests (all POST), by path, and their action in the audit line. */
	private static final Map<String, String> ACTIONS = Map.of("/api/call/make", "call.make", "/api/call/hangup",
			"call.hangup", "/api/agent/sip-credentials", SIP_CREDENTIALS);

	/** Call control on a call, a transfer or a monitor: "<METHOD> <path pattern>" and the action. */
	private static final List<Map.Entry<Pattern, String>> CONTROL_ACTIONS = List.of(
			Map.entry(Pattern.compile("POST /api/calls/[^/]+/(hold|unhold|dtmf|mute|recording|transfers|monitors)"),
					"call."),
			Map.entry(Pattern.compile("POST /api/transfers/[^/]+/complete|DELETE /api/transfers/[^/]+"), "transfer."),
			Map.entry(Pattern.compile("(PATCH|DELETE) /api/monitors/[^/]+"), "monitor."));

	private final ClientIpResolver clientIps;

	private final MeterRegistry meters;

	/** Per action and result (a few of each). */
	private final Map<String, Counter> auditEvents = new ConcurrentHashMap<>();

	AuditFilter(ClientIpResolver clientIps, MeterRegistry meters) {
		this.clientIps = clientIps;
		this.meters = meters;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return actionOf(request) == null;
	}

	/** The request's action in the audit line ("call.make", "call.hold", "transfer.complete"); null: not audited. */
	static @Nullable String actionOf(HttpServletRequest request) {
		String method = request.getMethod();
		if ("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method)) {
			// reads are not audited: skipped before the patterns, since every read passes here
			return null;
		}
		String path = request.getRequestURI();
		if ("POST".equals(method) && ACTIONS.containsKey(path)) {
			return ACTIONS.get(path);
		}
		String line = method + " " + path;
		for (Map.Entry<Pattern, String> control : CONTROL_ACTIONS) {
			if (control.getKey().matcher(line).matches()) {
				return control.getValue() + controlVerb(method, path);
			}
		}
		return null;
	}

	private static String controlVerb(String method, String path) {
		if ("DELETE".equals(method)) {
			return path.startsWith("/api/transfers/") ? "cancel" : "end";
		}
		if ("PATCH".equals(method)) {
			return "mode";
		}
		String last = path.substring(path.lastIndexOf('/') + 1);
		return switch (last) {
			case "transfers" -> "transfer";
			case "monitors" -> "monitor";
			default -> last;
		};
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		finally {
			record(request, response.getStatus());
		}
	}

	private void record(HttpServletRequest request, int status) {
		String action = actionOf(request);
		String result = resultOf(status);
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		ApiPrincipal principal = (authentication != null && authentication.getPrincipal() instanceof ApiPrincipal found)
				? found : null;
		String who = (principal != null) ? principal.id() : "anonymous";
		LoggingEventBuilder line = audit.atInfo()
			.addKeyValue("event", action)
			.addKeyValue("result", result)
			.addKeyValue("status", status)
			.addKeyValue("who", who)
			.addKeyValue("agent_dn", (principal != null) ? principal.dn() : null)
			.addKeyValue("client_ip", clientIps.clientIp(request));
		if (SIP_CREDENTIALS.equals(action)) {
			// An agent token that named no DN asked for its own.
			Object dn = request.getAttribute(AuditAttributes.DN);
			dn = (dn == null && principal != null) ? principal.dn() : dn;
			Object expiresAt = request.getAttribute(AuditAttributes.EXPIRES_AT);
			line.addKeyValue("dn", dn)
				.addKeyValue("expires_at", expiresAt)
				.log("{} {} by {}: {} {}{}", action, dn, who, result, status,
						(expiresAt != null) ? ", expires at " + expiresAt : "");
		}
		else {
			line.addKeyValue("call_id", request.getAttribute(AuditAttributes.CALL_ID))
				.addKeyValue("from", request.getAttribute(AuditAttributes.FROM))
				.addKeyValue("to", request.getAttribute(AuditAttributes.TO))
				.log("{} {} by {}: {} {}", action, request.getAttribute(AuditAttributes.CALL_ID), who, result, status);
		}
		// looked up once per action and result, not per request: a registry lookup builds and sorts the tags
		auditEvents.computeIfAbsent(action + "/" + result, (key) -> Counter.builder("signaling.audit.events")
			.tag("action", action)
			.tag("result", result)
			.register(meters)).increment();
	}
	private static String resultOf(int status) {
		if (status >= 200 && status < 300) {
			return "accepted";
		}
		if (status == 401 || status == 403 || status == 429) {
			return "denied";
		}
		return (status >= 500) ? "failed" : "rejected";
	}

}
