package org.signaling.api.security;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.shared.ProblemType;
import org.signaling.api.testsupport.FakePbx;
import org.signaling.api.testsupport.FakeSignalingState;
import org.signaling.api.testsupport.FeatureTestConfiguration;
import org.signaling.api.testsupport.MutableClock;
import org.signaling.api.testsupport.OpenFeatureSliceTest;
import org.signaling.api.testsupport.TestCredentials;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.signaling.api.testsupport.ProblemAssertions.assertProblem;
import static org.signaling.api.testsupport.TestCredentials.ADMIN_KEY;
import static org.signaling.api.testsupport.TestCredentials.CALLER_KEY;
import static org.signaling.api.testsupport.TestCredentials.READER_KEY;

/**
 * The limits through the application's filter chain, with small budgets and a clock the test moves: nothing waits.
 * Each test gets fresh buckets.
 */
@OpenFeatureSliceTest
@TestPropertySource(properties = { "signaling.security.rate-limits.per-ip-per-minute=5",
		"signaling.security.rate-limits.per-credential-per-hour=3",
		"signaling.security.rate-limits.make-per-second-per-credential=1",
		"signaling.security.rate-limits.make-per-second-total=1",
		"signaling.sip-auth.secret=" + TestCredentials.SIP_AUTH_SECRET })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class RateLimitingTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	MutableClock clock;

	@Autowired
	FakeSignalingState kamailio;

	@Autowired
	FakePbx asterisk;

	@BeforeEach
	void setUp() {
		clock.set(FeatureTestConfiguration.NOW);
		kamailio.reset();
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp");
		asterisk.reset();
	}

	@Test
	void aKeyOverItsHourlyBudgetGets429WithRetryAfterAndRateLimitHeadersUntilTheBudgetRefills() {
		for (int i = 0; i < 3; i++) {
			assertThat(read(READER_KEY)).hasStatusOk().hasHeader("RateLimit-Limit", "3");
		}

		MvcTestResult refused = read(READER_KEY);

		assertThat(refused).hasHeader("RateLimit-Remaining", "0");
		assertProblem(refused, ProblemType.RATE_LIMITED, "Rate limit exceeded");
		assertThat(Long.parseLong(refused.getResponse().getHeader("Retry-After"))).isPositive();
		assertThat(refused.getResponse().getHeader("RateLimit-Reset")).isNotNull();
		assertThat(read(ADMIN_KEY)).as("another key has its own budget").hasStatusOk();

		clock.advance(Duration.ofHours(1));

		assertThat(read(READER_KEY)).hasStatusOk();
	}

	@Test
	void oneAddressOverItsMinuteBudgetGets429WhateverTheKey() {
		String[] keys = { READER_KEY, ADMIN_KEY, READER_KEY, ADMIN_KEY, ADMIN_KEY };
		for (String key : keys) {
			assertThat(read(key)).hasStatusOk();
		}

		assertThat(read(CALLER_KEY)).as("a third key, within its own budget").hasStatus(HttpStatus.TOO_MANY_REQUESTS);
		assertThat(mvc.get().uri("/api/dn/list")).as("even without a credential")
			.hasStatus(HttpStatus.TOO_MANY_REQUESTS);

		clock.advance(Duration.ofMinutes(1));
		assertThat(read(READER_KEY)).hasStatusOk();
	}

	@Test
	void placingCallsHasItsOwnPerSecondGuardThatProtectsAsterisk() {
		assertThat(make(CALLER_KEY)).hasStatus(HttpStatus.ACCEPTED);

		assertThat(make(CALLER_KEY)).hasStatus(HttpStatus.TOO_MANY_REQUESTS);
		assertThat(make(ADMIN_KEY)).as("the total guard covers every client").hasStatus(HttpStatus.TOO_MANY_REQUESTS);
		assertThat(asterisk.originated).hasSize(1);

		clock.advance(Duration.ofSeconds(1));
		assertThat(make(ADMIN_KEY)).hasStatus(HttpStatus.ACCEPTED);
	}

	@Test
	void sipCredentialsArePerCredentialPerSecondLikeCallsWithoutSpendingTheCallBudget() {
		assertThat(sipCredentials(CALLER_KEY)).hasStatusOk().hasHeader("RateLimit-Limit", "1");

		MvcTestResult refused = sipCredentials(CALLER_KEY);

		assertThat(refused).hasHeader("Retry-After", "1");
		assertProblem(refused, ProblemType.RATE_LIMITED, "Rate limit exceeded");
		assertThat(make(CALLER_KEY)).as("calls have their own budget").hasStatus(HttpStatus.ACCEPTED);

		clock.advance(Duration.ofSeconds(1));
		assertThat(sipCredentials(CALLER_KEY)).hasStatusOk();
	}

	@Test
	void oneAddressOverItsMinuteBudgetGets429OnEveryPathButHealthProbesFromTheProbeNetworks() {
		for (int i = 0; i < 5; i++) {
			assertThat(mvc.get().uri("/api/dn/list")).hasStatus(HttpStatus.UNAUTHORIZED);
		}

		for (String path : new String[] { "/actuator/prometheus", "/agent", "/assets/dashboard.js", "/",
				"/v3/api-docs", "/no/such/path", "/api/dn/list" }) {
			assertThat(mvc.get().uri(path).header("X-API-Key", ADMIN_KEY)).as(path)
				.hasStatus(HttpStatus.TOO_MANY_REQUESTS)
				.hasHeader("RateLimit-Remaining", "0")
				.bodyJson()
				.extractingPath("$.error")
				.isEqualTo("Rate limit exceeded");
		}
		assertThat(mvc.get().uri("/api/health")).as("a probe from loopback (MockMvc's address)").hasStatusOk();
		assertThat(mvc.get().uri("/actuator/health/readiness").exchange().getResponse().getStatus())
			.as("a probe from loopback")
			.isNotEqualTo(HttpStatus.TOO_MANY_REQUESTS.value());
	}

	@Test
	void healthProbesFromOtherAddressesHaveTheSameBudgetAsAnyRequest() {
		for (int i = 0; i < 5; i++) {
			assertThat(mvc.get().uri("/api/health").with(from("198.51.100.7"))).hasStatusOk();
		}

		assertThat(mvc.get().uri("/api/health").with(from("198.51.100.7"))).hasStatus(HttpStatus.TOO_MANY_REQUESTS);
		assertThat(mvc.get().uri("/actuator/health").with(from("198.51.100.7")))
			.hasStatus(HttpStatus.TOO_MANY_REQUESTS);
		assertThat(mvc.get().uri("/api/health")).as("loopback").hasStatusOk();
	}

	private static RequestPostProcessor from(String address) {
		return (request) -> {
			request.setRemoteAddr(address);
			return request;
		};
	}

	private MvcTestResult read(String key) {
		return mvc.get().uri("/api/dn/list").header("X-API-Key", key).exchange();
	}

	private MvcTestResult sipCredentials(String key) {
		return mvc.post().uri("/api/agent/sip-credentials").header("X-API-Key", key)
			.contentType(MediaType.APPLICATION_JSON).content("{\"dn\":\"5001\"}").exchange();
	}

	private MvcTestResult make(String key) {
		return mvc.post().uri("/api/call/make").header("X-API-Key", key).contentType(MediaType.APPLICATION_JSON)
			.content("{\"from\":\"5001\",\"to\":\"1003\"}").exchange();
	}

}
