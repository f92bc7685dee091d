package org.signaling.api.security.internal;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The per-client-IP budget ({@code rate-limits.per-ip-per-minute}) on {@code /api/**} except {@code GET /api/health}.
 * Placed before authentication, so floods without (or with bad) credentials are limited too. A passing request gets
 * the {@code RateLimit-*} headers of its IP budget, and leaves the result for {@link CredentialRateLimitFilter},
 * which replaces the headers when a credential budget is tighter. A refused one is answered 429
 * {@code {"error": "Rate limit exceeded"}} with {@code Retry-After}, logged (logger {@code security}) and counted in
 * {@code signaling.security.rate_limited}.
 */
final class IpRateLimitFilter extends OncePerRequestFilter {

	/** The request attribute holding this filter's {@link RateLimiter.Result}. */
	static final String RESULT_ATTRIBUTE = IpRateLimitFilter.class.getName() + ".result";

	static final String METRIC = "signaling.security.rate_limited";

	private static final Logger log = LoggerFactory.getLogger("security");

	private static final RequestMatcher API = PathPatternRequestMatcher.pathPattern("/api/**");

	private static final RequestMatcher HEALTH = PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/api/health");

	private static final int MAX_LOGGED_LENGTH = 256;

	private final RateLimiter limiter;

	private final ClientIpResolver clientIps;

	private final Counter refused;

	IpRateLimitFilter(RateLimiter limiter, ClientIpResolver clientIps, MeterRegistry meters) {
		this.limiter = limiter;
		this.clientIps = clientIps;
		this.refused = counters(meters, RateLimiter.Limit.IP).get(RateLimiter.Limit.IP);
	}

	/** Whether the rate limits apply to a request: {@code /api/**} except {@code GET /api/health}. */
	static boolean isLimited(HttpServletRequest request) {
		return API.matches(request) && !HEALTH.matches(request);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !isLimited(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String clientIp = clientIps.clientIp(request);
		RateLimiter.Result result = limiter.checkIp(clientIp);
		if (!result.allowed()) {
			refuse(request, response, result, clientIp, "anonymous", refused);
			return;
		}
		request.setAttribute(RESULT_ATTRIBUTE, result);
		result.writeHeaders(response);
		chain.doFilter(request, response);
	}

	/** The rate-limit counters of the given budgets, registered now so that they show at 0. */
	static Map<RateLimiter.Limit, Counter> counters(MeterRegistry meters, RateLimiter.Limit... limits) {
		Map<RateLimiter.Limit, Counter> counters = new EnumMap<>(RateLimiter.Limit.class);
		for (RateLimiter.Limit limit : limits) {
			counters.put(limit, Counter.builder(METRIC)
				.description("Requests refused with 429 by a rate limit")
				.tag("limit", limit.tag())
				.register(meters));
		}
		return counters;
	}

	/** Answers 429 for a refused request: counted, logged as a security event (never a header value), headers, body. */
	static void refuse(HttpServletRequest request, HttpServletResponse response, RateLimiter.Result result,
			String clientIp, String who, Counter counter) throws IOException {
		counter.increment();
		String path = forLog(request.getRequestURI());
		log.atWarn()
			.addKeyValue("event", "security.rate_limited")
			.addKeyValue("limit", result.kind().tag())
			.addKeyValue("who", forLog(who))
			.addKeyValue("client_ip", forLog(clientIp))
			.addKeyValue("method", request.getMethod())
			.addKeyValue("path", path)
			.log("Rate limited {} {} by {} from {}: {} limit of {} per {}s", request.getMethod(), path, forLog(who),
					forLog(clientIp), result.kind().tag(), result.limit(), result.kind().window().toSeconds());
		result.writeHeaders(response);
		JsonErrorWriter.write(response, HttpStatus.TOO_MANY_REQUESTS, "Rate limit exceeded");
	}

	/** Control characters replaced and length capped: a token subject or a path cannot forge or flood log lines. */
	static String forLog(String value) {
		String capped = (value.length() > MAX_LOGGED_LENGTH) ? value.substring(0, MAX_LOGGED_LENGTH) + "..." : value;
		StringBuilder safe = new StringBuilder(capped.length());
		for (int i = 0; i < capped.length(); i++) {
			char c = capped.charAt(i);
			safe.append((c < 0x20 || c == 0x7f) ? '?' : c);
		}
		return safe.toString();
	}

}
