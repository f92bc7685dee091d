package org.signaling.api.security.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.signaling.api.shared.ProblemType;
import org.signaling.api.shared.Problems;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The per-client-IP budget ({@code rate-limits.per-ip-per-minute}) on every path: the API, Actuator, the pages and
 * their assets, the OpenAPI document and Swagger UI, unknown paths. Only health probes ({@code GET /api/health},
 * {@code GET /actuator/health/**}) from {@code rate-limits.health-probe-networks} pass without it, so that a
 * container or kubelet probe is never refused while a flood from elsewhere is. Placed before authentication, so
 * floods without (or with bad) credentials are limited too. A passing request gets the {@code RateLimit-*} headers of
 * its IP budget, and leaves the result for {@link CredentialRateLimitFilter}, which replaces the headers when a
 * credential budget is tighter. A refused one is answered 429 {@code {"error": "Rate limit exceeded"}} with
 * {@code Retry-After}, counted in {@code signaling.security.rate_limited} and logged (logger {@code security}, a few
 * lines a second per budget at most: {@link SecurityLog}).
 */
final class IpRateLimitFilter extends OncePerRequestFilter {

	/** The request attribute holding this filter's {@link RateLimiter.Result}. */
	static final String RESULT_ATTRIBUTE = IpRateLimitFilter.class.getName() + ".result";

	static final String METRIC = "signaling.security.rate_limited";

	static final String EVENT = "security.rate_limited";

	static final String HEALTH_PROBE_NETWORKS = "signaling.security.rate-limits.health-probe-networks";

	private static final RequestMatcher HEALTH_PROBE = new OrRequestMatcher(
			PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/api/health"),
			PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/actuator/health/**"));

	private static final int MAX_LOGGED_LENGTH = 256;

	private final RateLimiter limiter;

	private final ClientIpResolver clientIps;

	private final List<ClientIpResolver.Range> healthProbeNetworks;

	private final SecurityLog securityLog;

	private final Counter refused;

	/**
	 * @param healthProbeNetworks addresses and CIDR ranges whose health probes are not limited
	 * @throws IllegalArgumentException for an entry that is not an address or range, has host bits set, or is a /0
	 */
	IpRateLimitFilter(RateLimiter limiter, ClientIpResolver clientIps, List<String> healthProbeNetworks,
			SecurityLog securityLog, MeterRegistry meters) {
		this.limiter = limiter;
		this.clientIps = clientIps;
		List<ClientIpResolver.Range> networks = new ArrayList<>();
		for (String entry : healthProbeNetworks) {
			networks.add(ClientIpResolver.Range.parse(entry, HEALTH_PROBE_NETWORKS,
					"it exempts every client's health probes from the per-IP limit"));
		}
		this.healthProbeNetworks = List.copyOf(networks);
		this.securityLog = securityLog;
		this.refused = counters(meters, RateLimiter.Limit.IP).get(RateLimiter.Limit.IP);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String clientIp = clientIps.clientIp(request);
		if (HEALTH_PROBE.matches(request) && ClientIpResolver.isWithin(clientIp, healthProbeNetworks)) {
			chain.doFilter(request, response);
			return;
		}
		RateLimiter.Result result = limiter.checkIp(clientIp);
		if (!result.allowed()) {
			refuse(request, response, result, clientIp, "anonymous", refused, securityLog);
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

	/**
	 * Answers 429 for a refused request: counted, logged as a security event (never a header value; a few lines a
	 * second per budget at most), headers, body.
	 */
	static void refuse(HttpServletRequest request, HttpServletResponse response, RateLimiter.Result result,
			String clientIp, String who, Counter counter, SecurityLog securityLog) throws IOException {
		counter.increment();
		String method = forLog(request.getMethod());
		String path = forLog(request.getRequestURI());
		String limit = result.kind().tag();
		securityLog.warn(EVENT, limit, (line) -> line.addKeyValue("limit", limit)
			.addKeyValue("who", forLog(who))
			.addKeyValue("client_ip", forLog(clientIp))
			.addKeyValue("method", method)
			.addKeyValue("path", path), "Rate limited {} {} by {} from {}: {} limit of {} per {}s", method, path,
				forLog(who), forLog(clientIp), limit, result.limit(), result.kind().window().toSeconds());
		result.writeHeaders(response);
		Problems.write(response, Problems.of(ProblemType.RATE_LIMITED, "Rate limit exceeded"));
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
