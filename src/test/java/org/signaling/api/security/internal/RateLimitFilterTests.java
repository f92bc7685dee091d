package org.signaling.api.security.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.security.ApiPrincipal;
import org.signaling.api.security.ApiSecurityProperties;
import org.signaling.api.testsupport.MutableClock;
import org.slf4j.LoggerFactory;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RateLimitFilterTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-05-04T10:00:00Z"));

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final ClientIpResolver clientIps = new ClientIpResolver(List.of("10.0.0.0/8"));

	private RateLimiter limiter = new RateLimiter(RateLimiterTests.DEFAULTS, clock);

	private final SecurityLog securityLog = new SecurityLog(clock, meters);

	private IpRateLimitFilter ipFilter = new IpRateLimitFilter(limiter, clientIps, RateLimiterTests.LOOPBACK,
			securityLog, meters);

	private CredentialRateLimitFilter credentialFilter = new CredentialRateLimitFilter(limiter, clientIps, securityLog,
			meters);

	private int served;

	@AfterEach
	void clearSecurityContext() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void hundredAndFirstRequestOfAMinuteFromOneIpIsRefusedWithHeadersAndBody() throws Exception {
		for (int i = 0; i < 100; i++) {
			assertThat(send(get("/api/dn/list", "198.51.100.1"), null).getStatus()).isEqualTo(200);
		}

		MockHttpServletResponse response = send(get("/api/dn/list", "198.51.100.1"), null);

		assertThat(response.getStatus()).isEqualTo(429);
		assertThat(response.getHeader("Retry-After")).isEqualTo("1");
		assertThat(response.getHeader("RateLimit-Limit")).isEqualTo("100");
		assertThat(response.getHeader("RateLimit-Remaining")).isEqualTo("0");
		assertThat(response.getHeader("RateLimit-Reset")).isEqualTo("1");
		assertThat(response.getContentType()).startsWith("application/problem+json");
		assertThat(body(response)).containsEntry("error", "Rate limit exceeded").containsEntry("status", 429);
		assertThat(served).isEqualTo(100);
		assertThat(refusals("ip")).isEqualTo(1);
	}

	@Test
	void refusedIpPassesAgainOnceTheClockHasMoved() {
		exhaustIp("198.51.100.1");

		clock.advance(Duration.ofMinutes(1));

		MockHttpServletResponse response = send(get("/api/dn/list", "198.51.100.1"), null);
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getHeader("RateLimit-Remaining")).isEqualTo("99");
	}

	@Test
	void ipLimitAppliesBeforeAnyCredentialAndToEveryMethod() {
		exhaustIp("198.51.100.1");

		assertThat(send(post("/api/call/make", "198.51.100.1"), key("routing", null, null)).getStatus()).isEqualTo(429);
		assertThat(send(post("/api/health", "198.51.100.1"), null).getStatus()).isEqualTo(429);
		assertThat(send(get("/api", "198.51.100.1"), null).getStatus()).isEqualTo(429);
	}

	@Test
	void passingRequestCarriesTheRateLimitHeaders() {
		MockHttpServletResponse response = send(get("/api/dn/list", "198.51.100.1"), null);

		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getHeader("RateLimit-Limit")).isEqualTo("100");
		assertThat(response.getHeader("RateLimit-Remaining")).isEqualTo("99");
		assertThat(response.getHeader("RateLimit-Reset")).isEqualTo("1");
		assertThat(response.containsHeader("Retry-After")).isFalse();
	}

	@Test
	void passingRequestShowsTheTightestBudgetThatApplied() {
		ApiPrincipal key = key("routing", null, null);

		MockHttpServletResponse read = send(get("/api/dn/list", "198.51.100.1"), key);
		MockHttpServletResponse make = send(post("/api/call/make", "198.51.100.1"), key);
		MockHttpServletResponse reportsKey = send(get("/api/dn/list", "198.51.100.2"), key("reports", 10, null));

		assertThat(read.getHeader("RateLimit-Limit")).as("IP: 99 left, key: 999").isEqualTo("100");
		assertThat(read.getHeader("RateLimit-Remaining")).isEqualTo("99");
		assertThat(make.getHeader("RateLimit-Limit")).as("make-call per key: 4 left").isEqualTo("5");
		assertThat(make.getHeader("RateLimit-Remaining")).isEqualTo("4");
		assertThat(reportsKey.getHeader("RateLimit-Limit")).as("key with its own 10 an hour").isEqualTo("10");
		assertThat(reportsKey.getHeader("RateLimit-Remaining")).isEqualTo("9");
		assertThat(reportsKey.getHeader("RateLimit-Reset")).isEqualTo("360");
	}

	@Test
	void healthProbesFromTheProbeNetworksAreNeverLimited() {
		exhaustIp("127.0.0.1");

		for (String path : List.of("/api/health", "/actuator/health", "/actuator/health/readiness",
				"/actuator/health/liveness", "/api/%68ealth")) {
			MockHttpServletResponse response = send(get(path, "127.0.0.1"), null);
			assertThat(response.getStatus()).as(path).isEqualTo(200);
			assertThat(response.containsHeader("RateLimit-Limit")).as(path).isFalse();
		}
		assertThat(send(get("/api/health", "::1"), null).containsHeader("RateLimit-Limit")).isFalse();
		assertThat(send(post("/api/health", "127.0.0.1"), null).getStatus()).as("not a probe").isEqualTo(429);
		assertThat(send(get("/actuator/healthz", "127.0.0.1"), null).getStatus()).as("not a probe").isEqualTo(429);
	}

	@Test
	void healthProbesFromAnywhereElseAreLimitedLikeAnyRequest() {
		exhaustIp("198.51.100.1");
		for (int i = 0; i < 100; i++) {
			send(viaProxy("/api/dn/list", "127.0.0.1"), null);
		}

		for (String path : List.of("/api/health", "/actuator/health", "/actuator/health/readiness")) {
			assertThat(send(get(path, "198.51.100.1"), null).getStatus()).as(path).isEqualTo(429);
		}
		assertThat(send(viaProxy("/api/health", "198.51.100.1"), null).getStatus())
			.as("relayed by a trusted proxy for an outside client")
			.isEqualTo(429);
		assertThat(send(viaProxy("/api/health", "127.0.0.1"), null).getStatus())
			.as("relayed for a client in the probe networks")
			.isEqualTo(200);
	}

	@Test
	void everyOtherPathIsLimitedToo() {
		exhaustIp("198.51.100.1");

		for (String path : List.of("/actuator/prometheus", "/actuator/metrics", "/", "/agent", "/agent/config.json",
				"/assets/dashboard.js", "/v3/api-docs", "/swagger-ui/index.html", "/apix", "/no/such/path")) {
			MockHttpServletResponse response = send(get(path, "198.51.100.1"), key("ops", null, null));
			assertThat(response.getStatus()).as(path).isEqualTo(429);
			assertThat(response.getHeader("Retry-After")).as(path).isNotNull();
		}
	}

	@Test
	void loadingPagesSpendsTheSameBudgetAsTheApi() {
		for (int i = 0; i < 100; i++) {
			MockHttpServletResponse response = send(get("/assets/dashboard.js", "198.51.100.1"), null);
			assertThat(response.getStatus()).isEqualTo(200);
			assertThat(response.getHeader("RateLimit-Remaining")).isEqualTo(Integer.toString(99 - i));
		}

		assertThat(send(get("/api/dn/list", "198.51.100.1"), null).getStatus()).isEqualTo(429);
	}

	@Test
	void percentEncodedPathsAreLimitedLikeTheDecodedPaths() {
		exhaustIp("198.51.100.1");

		assertThat(send(get("/%61pi/dn/list", "198.51.100.1"), null).getStatus()).isEqualTo(429);
		assertThat(send(get("/api/%68ealth", "198.51.100.1"), null).getStatus()).isEqualTo(429);
	}

	@Test
	void healthProbeNetworksMustBeAddressesOrRanges() {
		for (String entry : List.of("probe.example.com", "10.0.0.1/8", "0.0.0.0/0", "::/0", " ")) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> new IpRateLimitFilter(limiter, clientIps, List.of(entry), securityLog, meters))
				.as(entry)
				.withMessageStartingWith("signaling.security.rate-limits.health-probe-networks: '" + entry + "'");
		}
	}

	@Test
	void clientsBehindATrustedProxyHaveTheirOwnBudgets() {
		for (int i = 0; i < 100; i++) {
			send(viaProxy("/api/dn/list", "198.51.100.1"), null);
		}

		assertThat(send(viaProxy("/api/dn/list", "198.51.100.1"), null).getStatus()).isEqualTo(429);
		assertThat(send(viaProxy("/api/dn/list", "198.51.100.2"), null).getStatus()).isEqualTo(200);
		assertThat(send(get("/api/dn/list", "10.0.0.5"), null).getStatus()).as("the proxy itself").isEqualTo(200);
	}

	@Test
	void forwardedForFromAnUntrustedPeerDoesNotEscapeTheLimit() {
		for (int i = 0; i < 100; i++) {
			MockHttpServletRequest request = get("/api/dn/list", "198.51.100.1");
			request.addHeader("X-Forwarded-For", "203.0.113." + i);
			send(request, null);
		}
		MockHttpServletRequest request = get("/api/dn/list", "198.51.100.1");
		request.addHeader("X-Forwarded-For", "203.0.113.200");

		assertThat(send(request, null).getStatus()).isEqualTo(429);
	}

	@Test
	void keyGetsThousandRequestsAnHourByDefault() {
		ApiPrincipal key = key("routing", null, null);
		for (int i = 0; i < 1000; i++) {
			assertThat(send(get("/api/dn/list", distinctIp(i)), key).getStatus()).isEqualTo(200);
		}

		MockHttpServletResponse response = send(get("/api/dn/list", distinctIp(1000)), key);

		assertThat(response.getStatus()).isEqualTo(429);
		assertThat(response.getHeader("RateLimit-Limit")).isEqualTo("1000");
		assertThat(response.getHeader("Retry-After")).isEqualTo("4");
		assertThat(body(response)).containsEntry("error", "Rate limit exceeded");
		assertThat(refusals("credential")).isEqualTo(1);
	}

	@Test
	void keyWithItsOwnLimitIsRefusedAtThatLimit() {
		ApiPrincipal key = key("reports", 3, null);
		for (int i = 0; i < 3; i++) {
			assertThat(send(get("/api/dn/list", "198.51.100.1"), key).getStatus()).isEqualTo(200);
		}

		MockHttpServletResponse response = send(get("/api/dn/list", "198.51.100.1"), key);

		assertThat(response.getStatus()).isEqualTo(429);
		assertThat(response.getHeader("RateLimit-Limit")).isEqualTo("3");
		assertThat(response.getHeader("Retry-After")).isEqualTo("1200");
		assertThat(send(get("/api/dn/list", "198.51.100.1"), key("routing", null, null)).getStatus()).isEqualTo(200);
	}

	@Test
	void jwtSubjectIsLimitedLikeAKey() {
		useLimits(new ApiSecurityProperties.RateLimits(100, 2, 5, 20, RateLimiterTests.LOOPBACK));
		ApiPrincipal agent = jwt("agent-7");

		assertThat(send(get("/api/calls/active", "198.51.100.1"), agent).getStatus()).isEqualTo(200);
		assertThat(send(get("/api/calls/active", "198.51.100.2"), agent).getStatus()).isEqualTo(200);
		assertThat(send(get("/api/calls/active", "198.51.100.3"), agent).getStatus()).isEqualTo(429);
		assertThat(send(get("/api/calls/active", "198.51.100.3"), jwt("agent-8")).getStatus()).isEqualTo(200);
		assertThat(refusals("credential")).isEqualTo(1);
	}

	@Test
	void makeCallIsLimitedPerCredentialPerSecond() {
		ApiPrincipal key = key("routing", null, null);
		for (int i = 0; i < 5; i++) {
			assertThat(send(post("/api/call/make", "198.51.100.1"), key).getStatus()).isEqualTo(202);
		}

		MockHttpServletResponse response = send(post("/api/call/make", "198.51.100.1"), key);

		assertThat(response.getStatus()).isEqualTo(429);
		assertThat(response.getHeader("RateLimit-Limit")).isEqualTo("5");
		assertThat(response.getHeader("Retry-After")).isEqualTo("1");
		assertThat(refusals("make_credential")).isEqualTo(1);
		assertThat(send(get("/api/calls/active", "198.51.100.1"), key).getStatus()).as("other paths").isEqualTo(200);
		assertThat(send(post("/api/call/hangup", "198.51.100.1"), key).getStatus()).as("hang-up").isEqualTo(202);

		clock.advance(Duration.ofSeconds(1));
		assertThat(send(post("/api/call/make", "198.51.100.1"), key).getStatus()).isEqualTo(202);
	}

	@Test
	void makeCallIsLimitedInTotalAcrossCredentials() {
		for (int k = 0; k < 4; k++) {
			for (int i = 0; i < 5; i++) {
				assertThat(send(post("/api/call/make", distinctIp(k)), key("k" + k, null, null)).getStatus())
					.isEqualTo(202);
			}
		}

		MockHttpServletResponse response = send(post("/api/call/make", distinctIp(4)), key("k4", null, null));

		assertThat(response.getStatus()).isEqualTo(429);
		assertThat(response.getHeader("RateLimit-Limit")).isEqualTo("20");
		assertThat(refusals("make_total")).isEqualTo(1);
	}

	@Test
	void credentialWithoutCallsScopeDoesNotSpendTheMakeCallBudgets() {
		ApiPrincipal readOnly = new ApiPrincipal("dashboard", ApiPrincipal.Kind.API_KEY, Set.of("read"), null, null,
				null);
		for (int i = 0; i < 30; i++) {
			// refused 403 later by authorisation
			send(post("/api/call/make", "198.51.100.1"), readOnly);
		}

		for (int k = 0; k < 4; k++) {
			for (int i = 0; i < 5; i++) {
				assertThat(send(post("/api/call/make", distinctIp(k)), key("k" + k, null, null)).getStatus())
					.isEqualTo(202);
			}
		}
	}

	@Test
	void requestWithoutApiPrincipalPassesTheCredentialFilterUntouched() {
		useLimits(new ApiSecurityProperties.RateLimits(100, 1, 1, 1, RateLimiterTests.LOOPBACK));

		for (int i = 0; i < 3; i++) {
			assertThat(send(post("/api/call/make", "198.51.100.1"), null).getStatus()).isEqualTo(202);
		}
	}

	@Test
	void aFloodOfRefusalsWritesAFewLinesAndCountsTheRest() {
		ListAppender<ILoggingEvent> appender = securityLines();
		try {
			exhaustIp("198.51.100.1");
			for (int i = 0; i < 300; i++) {
				assertThat(send(get("/api/dn/list", "198.51.100.1"), null).getStatus()).isEqualTo(429);
			}

			assertThat(appender.list).hasSize(SecurityLog.BURST);
			assertThat(refusals("ip")).as("every refusal is still counted").isEqualTo(301);
			assertThat(suppressed("security.rate_limited", "ip")).isEqualTo(301 - SecurityLog.BURST);

			// Half a second: the log budget has one line again, the client's budget not yet a request.
			clock.advance(Duration.ofMillis(500));
			send(get("/api/dn/list", "198.51.100.1"), null);
			send(get("/api/dn/list", "198.51.100.1"), null);
		}
		finally {
			((Logger) LoggerFactory.getLogger("security")).detachAppender(appender);
		}

		assertThat(appender.list).hasSize(SecurityLog.BURST + 1);
		ILoggingEvent summary = appender.list.get(SecurityLog.BURST);
		assertThat(summary.getFormattedMessage()).contains("198.51.100.1", "ip limit",
				(301 - SecurityLog.BURST) + " similar lines suppressed since the last one");
		assertThat(summary.getKeyValuePairs()).extracting((pair) -> pair.key + "=" + pair.value)
			.contains("suppressed=" + (301 - SecurityLog.BURST));
		assertThat(suppressed("security.rate_limited", "ip")).isEqualTo(301 - SecurityLog.BURST + 1);
	}

	@Test
	void eachBudgetHasItsOwnLogLines() {
		ListAppender<ILoggingEvent> appender = securityLines();
		try {
			exhaustIp("198.51.100.1");
			for (int i = 0; i < 50; i++) {
				send(get("/api/dn/list", "198.51.100.1"), null);
			}
			useLimits(new ApiSecurityProperties.RateLimits(100, 1000, 1, 20, RateLimiterTests.LOOPBACK));
			ApiPrincipal key = key("routing", null, null);
			for (int i = 0; i < 50; i++) {
				send(post("/api/call/make", "198.51.100.2"), key);
			}
		}
		finally {
			((Logger) LoggerFactory.getLogger("security")).detachAppender(appender);
		}

		assertThat(appender.list).filteredOn((event) -> event.getFormattedMessage().contains("ip limit"))
			.hasSize(SecurityLog.BURST);
		assertThat(appender.list).filteredOn((event) -> event.getFormattedMessage().contains("make_credential limit"))
			.hasSize(SecurityLog.BURST);
	}

	@Test
	void refusalIsLoggedAsSecurityEventWithoutHeaderValues() {
		Logger security = (Logger) LoggerFactory.getLogger("security");
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		security.addAppender(appender);
		try {
			useLimits(new ApiSecurityProperties.RateLimits(100, 1000, 1, 20, RateLimiterTests.LOOPBACK));
			ApiPrincipal key = key("routing", null, null);
			send(secretCarrying(post("/api/call/make", "10.0.0.5")), key);

			send(secretCarrying(post("/api/call/make", "10.0.0.5")), key);
		}
		finally {
			security.detachAppender(appender);
		}

		assertThat(appender.list).hasSize(1);
		ILoggingEvent event = appender.list.get(0);
		assertThat(event.getLevel()).hasToString("WARN");
		assertThat(event.getFormattedMessage()).contains("POST", "/api/call/make", "key:routing", "198.51.100.9",
				"make_credential");
		assertThat(event.getKeyValuePairs()).extracting((pair) -> pair.key + "=" + pair.value)
			.contains("event=security.rate_limited", "limit=make_credential", "who=key:routing",
					"client_ip=198.51.100.9", "path=/api/call/make");
		String everything = event.getFormattedMessage() + event.getKeyValuePairs();
		assertThat(everything).doesNotContain("sk_live_secret", "eyJ", "Mozilla");
	}

	@Test
	void ipRefusalIsLoggedAsAnonymous() {
		Logger security = (Logger) LoggerFactory.getLogger("security");
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		security.addAppender(appender);
		try {
			exhaustIp("198.51.100.1");
		}
		finally {
			security.detachAppender(appender);
		}

		assertThat(appender.list).singleElement()
			.satisfies((event) -> assertThat(event.getFormattedMessage()).contains("anonymous", "198.51.100.1",
					"ip limit"));
	}

	@Test
	void refusalCountersExistBeforeAnyRefusal() {
		assertThat(meters.find(IpRateLimitFilter.METRIC).counters())
			.extracting((counter) -> counter.getId().getTag("limit"))
			.containsExactlyInAnyOrder("ip", "credential", "make_credential", "make_total",
				"sip_credentials");
		assertThat(meters.find(IpRateLimitFilter.METRIC).counters())
			.allSatisfy((counter) -> assertThat(counter.count()).isZero());
	}

	@Test
	void subjectWithControlCharactersCannotForgeLogLines() {
		assertThat(IpRateLimitFilter.forLog("jwt:evil\nWARN forged line\u007f"))
			.isEqualTo("jwt:evil?WARN forged line?");
		assertThat(IpRateLimitFilter.forLog("x".repeat(300))).hasSize(259);
	}

	private MockHttpServletResponse send(MockHttpServletRequest request, ApiPrincipal principal) {
		MockHttpServletResponse response = new MockHttpServletResponse();
		Filter authentication = (req, res, next) -> {
			if (principal != null) {
				SecurityContextHolder.getContext()
					.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(principal, null, List.of()));
			}
			try {
				next.doFilter(req, res);
			}
			finally {
				SecurityContextHolder.clearContext();
			}
		};
		try {
			new MockFilterChain(new Application(), ipFilter, authentication, credentialFilter).doFilter(request,
					response);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		return response;
	}

	private void exhaustIp(String ip) {
		for (int i = 0; i < 100; i++) {
			send(get("/api/dn/list", ip), null);
		}
		assertThat(send(get("/api/dn/list", ip), null).getStatus()).isEqualTo(429);
	}

	private void useLimits(ApiSecurityProperties.RateLimits limits) {
		limiter = new RateLimiter(limits, clock);
		ipFilter = new IpRateLimitFilter(limiter, clientIps, RateLimiterTests.LOOPBACK, securityLog, meters);
		credentialFilter = new CredentialRateLimitFilter(limiter, clientIps, securityLog, meters);
	}

	private double suppressed(String event, String reason) {
		return meters.get(SecurityLog.SUPPRESSED_METRIC).tag("event", event).tag("reason", reason).counter().count();
	}

	private static ListAppender<ILoggingEvent> securityLines() {
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		((Logger) LoggerFactory.getLogger("security")).addAppender(appender);
		return appender;
	}

	private double refusals(String limit) {
		return meters.get(IpRateLimitFilter.METRIC).tag("limit", limit).counter().count();
	}

	private static Map<String, Object> body(MockHttpServletResponse response) {
		try {
			return JsonMapper.builder().build().readValue(response.getContentAsString(), Map.class);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String distinctIp(int i) {
		return "198.51." + (i / 250) + "." + (i % 250 + 1);
	}

	private static MockHttpServletRequest get(String path, String remoteAddr) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
		request.setRemoteAddr(remoteAddr);
		return request;
	}

	private static MockHttpServletRequest post(String path, String remoteAddr) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
		request.setRemoteAddr(remoteAddr);
		return request;
	}

	private static MockHttpServletRequest viaProxy(String path, String client) {
		MockHttpServletRequest request = get(path, "10.0.0.5");
		request.addHeader("X-Forwarded-For", client);
		return request;
	}

	private static MockHttpServletRequest secretCarrying(MockHttpServletRequest request) {
		request.addHeader("X-Forwarded-For", "198.51.100.9");
		request.addHeader("X-API-Key", "sk_live_secret_0123456789");
		request.addHeader("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x");
		request.addHeader("User-Agent", "Mozilla/5.0");
		return request;
	}

	private static ApiPrincipal key(String name, Integer requestsPerHour, Integer callsPerSecond) {
		return RateLimiterTests.key(name, requestsPerHour, callsPerSecond);
	}

	private static ApiPrincipal jwt(String subject) {
		return RateLimiterTests.jwt(subject);
	}

	/** Stands in for the controllers: 202 for POSTs, 200 otherwise. */
	private final class Application extends HttpServlet {

		@Override
		protected void service(HttpServletRequest request, HttpServletResponse response) {
			served++;
			response.setStatus("POST".equals(request.getMethod()) ? 202 : 200);
		}

	}

}
