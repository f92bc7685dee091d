package org.signaling.api.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.signaling.api.call.CallState;
import org.signaling.api.shared.ProblemType;
import org.signaling.api.testsupport.FakeDialogControl;
import org.signaling.api.testsupport.FakePbx;
import org.signaling.api.testsupport.FakeSignalingState;
import org.signaling.api.testsupport.FeatureTestConfiguration;
import org.signaling.api.testsupport.MutableClock;
import org.signaling.api.testsupport.OpenFeatureSliceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.signaling.api.testsupport.ProblemAssertions.assertProblem;
import static org.signaling.api.testsupport.TestCredentials.ADMIN_KEY;
import static org.signaling.api.testsupport.TestCredentials.AUDIENCE;
import static org.signaling.api.testsupport.TestCredentials.CALLER_KEY;
import static org.signaling.api.testsupport.TestCredentials.ISSUER;
import static org.signaling.api.testsupport.TestCredentials.JWT_SECRET;
import static org.signaling.api.testsupport.TestCredentials.READER_KEY;
import static org.signaling.api.testsupport.TestCredentials.jwt;

/**
 * Every way in and every refusal, through the application's filter chain: API keys (header and bearer), JWTs
 * (scopes, expiry, signature, issuer, audience), agent tokens bound to their DN, supervisors, CORS, the audit log,
 * and that no credential ever reaches a log line. Credentials are those of application-test.yml.
 */
@OpenFeatureSliceTest
@TestPropertySource(properties = "signaling.security.cors.allowed-origins=https://wwe.genesys.com")
@ExtendWith(OutputCaptureExtension.class)
class AccessControlTests {

	static final String WWE = "https://wwe.genesys.com";

	@Autowired
	MockMvcTester mvc;

	@Autowired
	FakeSignalingState kamailio;

	@Autowired
	FakePbx asterisk;

	@Autowired
	FakeDialogControl dialogs;

	@Autowired
	MutableClock clock;

	@Autowired
	MeterRegistry meters;

	@BeforeEach
	void setUp() {
		clock.set(FeatureTestConfiguration.NOW);
		kamailio.reset();
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp").register("5002", "sip:5002@10.1.1.6:5060", "udp");
		asterisk.reset();
		dialogs.reset();
	}

	@Test
	void withoutACredentialDataAndCallControlAre401InTheSeedsShape() {
		for (MvcTestResult result : new MvcTestResult[] { mvc.get().uri("/api/dn/list").exchange(),
				mvc.get().uri("/api/calls/active").exchange(), mvc.get().uri("/api/genesys/status").exchange(),
				make("{\"from\":\"5001\",\"to\":\"1003\"}", null) }) {
			assertThat(result).hasStatus(HttpStatus.UNAUTHORIZED)
				.hasHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
				.bodyJson()
				.extractingPath("$.error")
				.asString()
				.startsWith("Authentication required");
			assertThat(result).bodyJson()
				.extractingPath("$.type")
				.isEqualTo("urn:signaling-api:problem:" + ProblemType.AUTHENTICATION_REQUIRED.id());
		}
		assertThat(asterisk.originated).isEmpty();
	}

	@Test
	void anUnknownOrMalformedKeyIs401() {
		assertError(mvc.get().uri("/api/dn/list").header("X-API-Key", "sk_" + "A".repeat(43)).exchange(),
				ProblemType.INVALID_CREDENTIAL, "Invalid API key");
		assertError(mvc.get().uri("/api/dn/list").header("X-API-Key", "hunter2").exchange(),
				ProblemType.INVALID_CREDENTIAL,
				"Invalid API key");
	}

	@Test
	void aKeyWorksAsHeaderAndAsBearerToken() {
		assertThat(mvc.get().uri("/api/dn/list").header("X-API-Key", READER_KEY)).hasStatusOk();
		assertThat(mvc.get().uri("/api/dn/list").header("Authorization", "Bearer " + READER_KEY)).hasStatusOk();
	}

	@Test
	void eachScopeOpensItsOwnEndpointsOnly() {
		assertError(make("{\"from\":\"5001\",\"to\":\"1003\"}", READER_KEY), ProblemType.FORBIDDEN_SCOPE,
				"Forbidden: this credential lacks the scope calls");
		assertError(mvc.get().uri("/api/dn/list").header("X-API-Key", CALLER_KEY).exchange(),
				ProblemType.FORBIDDEN_SCOPE,
				"Forbidden: this credential lacks the scope read");
		assertThat(make("{\"from\":\"5001\",\"to\":\"1003\"}", CALLER_KEY)).hasStatus(HttpStatus.ACCEPTED);
		assertThat(mvc.get().uri("/api/dn/list").header("X-API-Key", ADMIN_KEY)).hasStatusOk();
		assertThat(asterisk.originated).hasSize(1);
	}

	@Test
	void aTokenFromTheIdentityProviderWithTheReadScopeReads() {
		String token = jwt("dashboard-7", Map.of("scope", "read"));

		assertThat(mvc.get().uri("/api/dn/list").header("Authorization", "Bearer " + token)).hasStatusOk();
		assertError(make("{\"from\":\"5001\",\"to\":\"1003\"}", "Bearer " + token), ProblemType.FORBIDDEN_SCOPE,
				"Forbidden: this credential lacks the scope calls");
	}

	@Test
	void expiredForgedForeignTokensAre401() {
		Map<String, Object> read = Map.of("scope", "read");
		String expired = jwt("agent-1", read, ISSUER, AUDIENCE, Instant.now().minusSeconds(600), JWT_SECRET);
		String forged = jwt("agent-1", read, ISSUER, AUDIENCE, Instant.now().plusSeconds(600),
				"another-secret-of-at-least-thirty-two-bytes");
		String otherIssuer = jwt("agent-1", read, "https://evil.invalid", AUDIENCE, Instant.now().plusSeconds(600),
				JWT_SECRET);
		String otherAudience = jwt("agent-1", read, ISSUER, "someone-else", Instant.now().plusSeconds(600), JWT_SECRET);

		for (String token : new String[] { expired, forged, otherIssuer, otherAudience, "not.a.jwt" }) {
			MvcTestResult result = mvc.get().uri("/api/dn/list").header("Authorization", "Bearer " + token).exchange();
			assertError(result, ProblemType.INVALID_CREDENTIAL, "Invalid or expired token");
			assertThat(result).hasHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
		}
	}

	@Test
	void aTokenThatNeverExpiresIs401() {
		String withoutExp = jwt("agent-1", Map.of("scope", "read"), ISSUER, AUDIENCE, null, JWT_SECRET);

		assertInvalidToken(mvc.get().uri("/api/dn/list").header("Authorization", "Bearer " + withoutExp).exchange());
	}

	@Test
	void aTokenWithMalformedOrRepeatedScopesIs401NeverA500() {
		List<Map<String, Object>> malformed = List.of(Map.of("scope", "read read"), Map.of("scope", "read calls read"),
				Map.of("scp", List.of("read", "read")), Map.of("scope", 7), Map.of("scope", Map.of("read", true)),
				Map.of("scp", List.of("read", 5)), Map.of("scp", List.of("read", List.of("calls"))),
				Map.of("scope", "read\tcalls"), Map.of("scope", "read\u00e9"), Map.of("scp", List.of("read\ncalls")),
				Map.of("scope", "read \"calls\""), Map.of("scope", true));

		for (Map<String, Object> claims : malformed) {
			String token = jwt("agent-1", claims);
			assertInvalidToken(mvc.get().uri("/api/dn/list").header("Authorization", "Bearer " + token).exchange());
		}
	}

	@Test
	void scopesMayComeAsAStringOrAListInEitherClaim() {
		for (Map<String, Object> claims : List.<Map<String, Object>>of(Map.of("scope", " calls  read "),
				Map.of("scope", List.of("read")), Map.of("scp", "read calls"), Map.of("scp", List.of("calls", "read")),
				Map.of("scope", "read", "scp", List.of("read")))) {
			String token = jwt("dashboard-7", claims);
			assertThat(mvc.get().uri("/api/dn/list").header("Authorization", "Bearer " + token)).as(claims.toString())
				.hasStatusOk();
		}
	}

	@Test
	void aTokenWithClaimsOfTheWrongTypeIs401NeverA500() {
		List<Map<String, Object>> wrongTypes = List.of(Map.of("scope", "read", "nbf", "tomorrow"),
				Map.of("scope", "read", "iat", List.of(1)), Map.of("scope", "read", "dn", List.of("5001")),
				Map.of("scope", "read", "dn", Map.of("dn", "5001")));

		for (Map<String, Object> claims : wrongTypes) {
			String token = jwt("agent-1", claims);
			assertInvalidToken(mvc.get().uri("/api/dn/list").header("Authorization", "Bearer " + token).exchange());
		}
	}

	@Test
	void anAgentTokenPlacesCallsFromItsOwnDnOnly() {
		String agent = "Bearer " + jwt("agent-5001", Map.of("scope", "calls read", "dn", "5001"));

		assertThat(make("{\"from\":\"5001\",\"to\":\"1003\"}", agent)).hasStatus(HttpStatus.ACCEPTED);
		assertError(make("{\"from\":\"5002\",\"to\":\"1003\"}", agent), ProblemType.DN_ACCESS_DENIED,
				"Agent 5001 may only make calls from its own DN");
		assertThat(asterisk.originated).singleElement()
			.satisfies((command) -> assertThat(command.agentDn()).isEqualTo("5001"));
	}

	@Test
	void anAgentTokenHangsUpOnlyCallsItsDnIsIn() {
		kamailio.call("theirs@pc33", "5002", "5003", CallState.CONFIRMED, FeatureTestConfiguration.NOW,
				FeatureTestConfiguration.NOW)
			.call("mine@pc33", "5003", "5001", CallState.CONFIRMED, FeatureTestConfiguration.NOW,
					FeatureTestConfiguration.NOW);
		dialogs.dialogs.add("theirs@pc33");
		dialogs.dialogs.add("mine@pc33");
		String agent = "Bearer " + jwt("agent-5001", Map.of("scope", "calls", "dn", "5001"));

		assertError(hangup("theirs@pc33", agent), ProblemType.DN_ACCESS_DENIED,
				"Agent 5001 may only hang up calls its DN is in");
		assertThat(hangup("mine@pc33", agent)).hasStatusOk();
		assertThat(dialogs.ended).containsExactly("mine@pc33");
	}

	@Test
	void aSupervisorHangsUpAnyCall() {
		kamailio.call("theirs@pc33", "5002", "5003", CallState.CONFIRMED, FeatureTestConfiguration.NOW,
				FeatureTestConfiguration.NOW);
		dialogs.dialogs.add("theirs@pc33");
		String supervisor = "Bearer " + jwt("supervisor-1", Map.of("scp", List.of("supervise"), "dn", "5009"));

		assertThat(hangup("theirs@pc33", supervisor)).hasStatusOk();
		assertError(make("{\"from\":\"5009\",\"to\":\"1003\"}", supervisor), ProblemType.FORBIDDEN_SCOPE,
				"Forbidden: this credential lacks the scope calls");
	}

	@Test
	void aTokenWithAMalformedDnClaimIsRefused() {
		String token = jwt("agent-x", Map.of("scope", "calls", "dn", "5001\r\nX: y"));

		assertError(make("{\"from\":\"5001\",\"to\":\"1003\"}", "Bearer " + token), ProblemType.INVALID_CREDENTIAL,
				"Invalid or expired token");
	}

	@Test
	void idempotencyKeysOfTwoClientsNeverMeet() {
		MvcTestResult first = makeWithKey(ADMIN_KEY, "same-key-1");
		MvcTestResult second = makeWithKey(CALLER_KEY, "same-key-1");

		assertThat(first).hasStatus(HttpStatus.ACCEPTED);
		assertThat(second).hasStatus(HttpStatus.ACCEPTED).doesNotContainHeader("Idempotent-Replayed");
		assertThat(asterisk.originated).hasSize(2);
	}

	@Test
	void aPreflightFromWweIsAnsweredWithoutCredentials() {
		MvcTestResult preflight = preflightFromWwe("/api/call/make", "POST", "content-type,x-api-key,idempotency-key");

		assertThat(preflight).hasStatusOk()
			.hasHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, WWE)
			.doesNotContainHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS);
		assertThat(preflight.getResponse().getHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS)).contains("POST");
		assertThat(preflight.getResponse().getHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS).toLowerCase())
			.contains("x-api-key")
			.contains("idempotency-key");
	}

	@Test
	void anotherOriginIsRefused() {
		MvcTestResult preflight = mvc.options()
			.uri("/api/call/make")
			.header(HttpHeaders.ORIGIN, "https://evil.example")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
			.exchange();

		assertError(preflight, ProblemType.ORIGIN_NOT_ALLOWED, "Origin not allowed");
		assertThat(mvc.get().uri("/api/dn/list").header(HttpHeaders.ORIGIN, "https://evil.example")
			.header("X-API-Key", READER_KEY)).hasStatus(HttpStatus.FORBIDDEN);
	}

	@Test
	void aCrossOriginReadFromWweSeesTheAgeHeader() {
		MvcTestResult result = mvc.get().uri("/api/dn/list").header(HttpHeaders.ORIGIN, WWE)
			.header("X-API-Key", READER_KEY).exchange();

		assertThat(result).hasStatusOk().hasHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, WWE);
		assertThat(result.getResponse().getHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS))
			.contains("X-State-Age-Ms")
			.contains("ETag")
			.contains("traceparent");
		// a cache between WWE and the service keeps one copy per origin and per encoding
		assertThat(String.join(",", result.getResponse().getHeaders(HttpHeaders.VARY))).contains("Origin")
			.contains("Accept-Encoding");
	}

	@Test
	void aPreflightFromWweForATransferCancelWithItsTraceIsAllowed() {
		MvcTestResult preflight = preflightFromWwe("/api/transfers/xfer-1", "DELETE",
				"x-api-key,traceparent,if-none-match");

		assertThat(preflight).hasStatusOk().hasHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, WWE);
		assertThat(preflight.getResponse().getHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS)).contains("DELETE")
			.contains("PATCH");
		assertThat(preflight.getResponse().getHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS).toLowerCase())
			.contains("traceparent")
			.contains("if-none-match");
	}

	@Test
	void theAuditLogNamesWhoDidWhatAndTheResult(CapturedOutput output) {
		MvcTestResult made = make("{\"from\":\"5001\",\"to\":\"1003\"}", CALLER_KEY);
		make("{\"from\":\"5001\",\"to\":\"1003\"}", READER_KEY);
		make("{\"from\":\"5001\",\"to\":\"1003\"}", null);

		String callId = made.getResponse().getHeader("Location").substring("/api/calls/".length());
		assertThat(output.getOut()).contains("call.make " + callId + " by key:test-caller: accepted 202")
			.contains("call.make null by key:test-reader: denied 403")
			.contains("call.make null by anonymous: denied 401");
	}

	@Test
	void noCredentialEverReachesTheLog(CapturedOutput output) {
		String token = jwt("agent-5001", Map.of("scope", "calls", "dn", "5001"));
		String wrongKey = "sk_" + "B".repeat(43);
		mvc.get().uri("/api/dn/list").header("X-API-Key", READER_KEY).exchange();
		mvc.get().uri("/api/dn/list").header("X-API-Key", wrongKey).exchange();
		make("{\"from\":\"5002\",\"to\":\"1003\"}", "Bearer " + token);
		make("{\"from\":\"5001\",\"to\":\"1003\"}", CALLER_KEY);

		assertThat(output.getAll()).doesNotContain(READER_KEY)
			.doesNotContain(CALLER_KEY)
			.doesNotContain(wrongKey)
			.doesNotContain(token)
			.doesNotContain(JWT_SECRET);
	}

	@Test
	void aFloodOfRefusalsWritesAFewWarningsAndCountsEveryRefusal(CapturedOutput output) {
		Counter denied = meters.counter("signaling.security.denied", "reason", "missing_credential");
		Counter suppressed = meters.counter("signaling.security.log_suppressed", "event", "security.denied", "reason",
				"missing_credential");
		double deniedBefore = denied.count();
		double suppressedBefore = suppressed.count();

		for (int i = 0; i < 300; i++) {
			assertThat(mvc.get().uri("/api/dn/list")).hasStatus(HttpStatus.UNAUTHORIZED);
		}

		assertThat(output.getOut().lines().filter((line) -> line.contains("Denied GET /api/dn/list"))).hasSizeBetween(0,
				5);
		assertThat(denied.count()).as("every refusal is counted").isEqualTo(deniedBefore + 300);
		assertThat(suppressed.count()).isGreaterThanOrEqualTo(suppressedBefore + 295);

		clock.advance(Duration.ofSeconds(1));
		assertThat(mvc.get().uri("/api/dn/list")).hasStatus(HttpStatus.UNAUTHORIZED);

		assertThat(output.getOut()).containsPattern(
				"Denied GET /api/dn/list: missing_credential \\([0-9]+ similar lines suppressed since the last one\\)");
	}

	@Test
	void deeplyNestedJsonIs400() {
		String nested = "[".repeat(600) + "]".repeat(600);

		assertThat(mvc.post().uri("/api/call/make").header("X-API-Key", CALLER_KEY)
			.contentType(MediaType.APPLICATION_JSON).content("{\"from\":" + nested + "}"))
			.hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(asterisk.originated).isEmpty();
	}

	private MvcTestResult make(String body, String credential) {
		var request = mvc.post().uri("/api/call/make").contentType(MediaType.APPLICATION_JSON).content(body);
		if (credential != null) {
			request = credential.startsWith("Bearer ") ? request.header("Authorization", credential)
					: request.header("X-API-Key", credential);
		}
		return request.exchange();
	}

	private MvcTestResult makeWithKey(String key, String idempotencyKey) {
		return mvc.post().uri("/api/call/make").header("X-API-Key", key).header("Idempotency-Key", idempotencyKey)
			.contentType(MediaType.APPLICATION_JSON).content("{\"from\":\"5001\",\"to\":\"1003\"}").exchange();
	}

	private MvcTestResult hangup(String callId, String bearer) {
		return mvc.post().uri("/api/call/hangup").header("Authorization", bearer)
			.contentType(MediaType.APPLICATION_JSON).content("{\"call_id\":\"" + callId + "\"}").exchange();
	}

	private static void assertInvalidToken(MvcTestResult result) {
		assertError(result, ProblemType.INVALID_CREDENTIAL, "Invalid or expired token");
		assertThat(result).hasHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
	}

	private static void assertError(MvcTestResult result, ProblemType type, String error) {
		assertProblem(result, type, error);
	}

	/** A browser's CORS preflight from WWE's origin: no credentials, the method and headers it is about to send. */
	private MvcTestResult preflightFromWwe(String path, String method, String requestHeaders) {
		return mvc.options()
			.uri(path)
			.header(HttpHeaders.ORIGIN, WWE)
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, method)
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, requestHeaders)
			.exchange();
	}

}
