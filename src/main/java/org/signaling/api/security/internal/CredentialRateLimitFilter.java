package org.signaling.api.security.internal;

import java.io.IOException;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.signaling.api.security.ApiPrincipal;
import org.signaling.api.security.Scopes;
import org.springframework.http.HttpMethod;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The per-credential budgets, for an authenticated {@link ApiPrincipal} (API key or JWT subject), on {@code /api/**}
 * except {@code GET /api/health}: requests per hour, and for {@code POST /api/call/make} also calls per second per
 * credential and in total (Asterisk and the trunk), for {@code POST /api/agent/sip-credentials} also requests per
 * second per credential. Placed after authentication; a request without an
 * {@code ApiPrincipal} passes untouched (its IP budget applied already, and authorisation answers it).
 * <p>
 * Only a credential holding the {@code calls} scope (or {@code admin}) spends the make-call budgets: the filter runs
 * before authorisation, and a credential that will be refused 403 must not use up the shared per-second total.
 * <p>
 * A passing request gets the {@code RateLimit-*} headers of the tightest budget that applied, its IP budget included;
 * a refused one is answered like {@link IpRateLimitFilter} does, tagged with the budget that refused it.
 */
final class CredentialRateLimitFilter extends OncePerRequestFilter {

	private static final RequestMatcher MAKE_CALL = PathPatternRequestMatcher.pathPattern(HttpMethod.POST,
			"/api/call/make");

	private static final RequestMatcher SIP_CREDENTIALS = PathPatternRequestMatcher.pathPattern(HttpMethod.POST,
			"/api/agent/sip-credentials");

	private static final RequestMatcher API = PathPatternRequestMatcher.pathPattern("/api/**");

	private static final RequestMatcher HEALTH = PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/api/health");

	private final RateLimiter limiter;

	private final ClientIpResolver clientIps;

	private final SecurityLog securityLog;

	private final Map<RateLimiter.Limit, Counter> refused;

	CredentialRateLimitFilter(RateLimiter limiter, ClientIpResolver clientIps, SecurityLog securityLog,
			MeterRegistry meters) {
		this.limiter = limiter;
		this.clientIps = clientIps;
		this.securityLog = securityLog;
		this.refused = IpRateLimitFilter.counters(meters, RateLimiter.Limit.CREDENTIAL,
				RateLimiter.Limit.MAKE_CREDENTIAL, RateLimiter.Limit.MAKE_TOTAL, RateLimiter.Limit.SIP_CREDENTIALS);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !API.matches(request) || HEALTH.matches(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		ApiPrincipal principal = currentPrincipal();
		if (principal == null) {
			chain.doFilter(request, response);
			return;
		}
		RateLimiter.Result result = limiter.checkCredential(principal, perSecondBudget(request, principal));
		if (!result.allowed()) {
			IpRateLimitFilter.refuse(request, response, result, clientIps.clientIp(request), principal.id(),
					refused.get(result.kind()), securityLog);
			return;
		}
		Object ipResult = request.getAttribute(IpRateLimitFilter.RESULT_ATTRIBUTE);
		RateLimiter.Result.tighter((ipResult instanceof RateLimiter.Result ip) ? ip : null, result)
			.writeHeaders(response);
		chain.doFilter(request, response);
	}

	private static RateLimiter.PerSecond perSecondBudget(HttpServletRequest request, ApiPrincipal principal) {
		if (MAKE_CALL.matches(request) && principal.has(Scopes.CALLS)) {
			return RateLimiter.PerSecond.MAKE_CALL;
		}
		// A refused request spends only its own credential's budget here, so every caller's counts.
		return SIP_CREDENTIALS.matches(request) ? RateLimiter.PerSecond.SIP_CREDENTIALS : RateLimiter.PerSecond.NONE;
	}

	private static @Nullable ApiPrincipal currentPrincipal() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return (authentication != null && authentication.getPrincipal() instanceof ApiPrincipal principal) ? principal
				: null;
	}

}
