package org.signaling.api.sipauth;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.signaling.api.testsupport.FeatureTestConfiguration;
import org.signaling.api.testsupport.MutableClock;
import org.signaling.api.testsupport.OpenFeatureSliceTest;
import org.signaling.api.testsupport.TestCredentials;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.signaling.api.testsupport.TestCredentials.ADMIN_KEY;
import static org.signaling.api.testsupport.TestCredentials.CALLER_KEY;
import static org.signaling.api.testsupport.TestCredentials.READER_KEY;
import static org.signaling.api.testsupport.TestCredentials.jwt;

/**
 * {@code POST /api/agent/sip-credentials} through the application's filter chain: who gets credentials for which DN,
 * every refusal in the API's error shape, the audit line, and that neither the password nor the secret is ever
 * logged. DN directory 5001-5005; agents register at {@link FeatureTestConfiguration#AGENT_SIP_ENDPOINT}.
 */
@OpenFeatureSliceTest
@TestPropertySource(properties = "signaling.sip-auth.secret=" + SipCredentialsControllerTests.SECRET)
@ExtendWith(OutputCaptureExtension.class)
class SipCredentialsControllerTests {

	static final String SECRET = TestCredentials.SIP_AUTH_SECRET;

	static final String PATH = "/api/agent/sip-credentials";

	static final long EXPIRES_AT = FeatureTestConfiguration.NOW.plus(Duration.ofHours(12)).getEpochSecond();

	static final String AGENT_5001 = "Bearer " + jwt("agent-5001", Map.of("scope", "read calls", "dn", "5001"));

	final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	MockMvcTester mvc;

	@Autowired
	MutableClock clock;

	@BeforeEach
	void setUp() {
		clock.set(FeatureTestConfiguration.NOW);
	}

	@Test
	void anAgentTokenGetsItsOwnCredentialsWithoutABody() throws Exception {
		MvcTestResult result = mvc.post().uri(PATH).header(HttpHeaders.AUTHORIZATION, AGENT_5001).exchange();

		assertThat(result).hasStatusOk().hasHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		JsonNode body = json.readTree(result.getResponse().getContentAsByteArray());
		String username = EXPIRES_AT + ":5001";
		assertThat(body.propertyNames()).containsExactlyInAnyOrder("username", "password", "expires_at", "realm",
				"websocket_url");
		assertThat(body.path("username").asString()).isEqualTo(username);
		assertThat(body.path("password").asString())
			.isEqualTo(EphemeralCredentialsTests.independentHmac(SECRET, username));
		assertThat(body.path("expires_at").asLong()).isEqualTo(EXPIRES_AT);
		assertThat(body.path("realm").asString()).isEqualTo(FeatureTestConfiguration.AGENT_SIP_ENDPOINT.sipDomain());
		assertThat(body.path("websocket_url").asString())
			.isEqualTo(FeatureTestConfiguration.AGENT_SIP_ENDPOINT.websocketUrl());
	}

	@Test
	void anAgentTokenNeedsNoScopeAndMayNameItsOwnDn() {
		String unscoped = "Bearer " + jwt("agent-5002", Map.of("dn", "5002"));

		assertThat(issue(unscoped, "{\"dn\":\"5002\"}")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.username")
			.isEqualTo(EXPIRES_AT + ":5002");
		assertThat(issue(AGENT_5001, "{}")).hasStatusOk();
	}

	@Test
	void anAgentTokenNamingAnotherDnIs403InTheShapeOfDnConfinement() {
		assertError(issue(AGENT_5001, "{\"dn\":\"5002\"}"), HttpStatus.FORBIDDEN,
				"Agent 5001 may only get SIP credentials for its own DN");
		String supervisor = "Bearer " + jwt("supervisor-1", Map.of("scp", List.of("supervise", "read"), "dn", "5003"));
		assertError(issue(supervisor, "{\"dn\":\"5004\"}"), HttpStatus.FORBIDDEN,
				"Agent 5003 may only get SIP credentials for its own DN");
	}

	@Test
	void aCallsOrAdminKeyNamesTheDn() {
		assertThat(issue(CALLER_KEY, "{\"dn\":\"5002\"}")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.username")
			.isEqualTo(EXPIRES_AT + ":5002");
		assertThat(issue(ADMIN_KEY, "{\"dn\":\"5003\"}")).hasStatusOk();
		String server = "Bearer " + jwt("wwe-server", Map.of("scope", "calls"));
		assertThat(issue(server, "{\"dn\":\"5004\"}")).hasStatusOk();
	}

	@Test
	void aKeyWithoutADnOrWithAMalformedOneIs400() {
		assertError(issue(CALLER_KEY, null), HttpStatus.BAD_REQUEST, "Missing required parameter: dn");
		assertError(issue(CALLER_KEY, "{}"), HttpStatus.BAD_REQUEST, "Missing required parameter: dn");
		assertError(issue(CALLER_KEY, "{\"dn\":null}"), HttpStatus.BAD_REQUEST, "Missing required parameter: dn");
		assertThat(issue(CALLER_KEY, "{\"dn\":\"50 01\"}")).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.extractingPath("$.error")
			.asString()
			.startsWith("Invalid DN");
		assertError(issue(CALLER_KEY, "{\"dn\":{\"x\":1}}"), HttpStatus.BAD_REQUEST, "Malformed JSON request body");
		assertError(issue(CALLER_KEY, "{\"dn\":"), HttpStatus.BAD_REQUEST, "Malformed JSON request body");
	}

	@Test
	void aDnOutsideTheDirectoryIs404() {
		assertError(issue(CALLER_KEY, "{\"dn\":\"1003\"}"), HttpStatus.NOT_FOUND, "DN not found: 1003");
		String stranger = "Bearer " + jwt("agent-6001", Map.of("dn", "6001"));
		assertError(issue(stranger, null), HttpStatus.NOT_FOUND, "DN not found: 6001");
	}

	@Test
	void aReadOnlyOrSuperviseOnlyCredentialIs403AndNoCredentialIs401() {
		String expected = "Forbidden: this credential lacks the scope calls (or the DN claim of an agent token)";
		assertError(issue(READER_KEY, "{\"dn\":\"5001\"}"), HttpStatus.FORBIDDEN, expected);
		String supervisor = "Bearer " + jwt("supervisor-2", Map.of("scope", "supervise read"));
		assertError(issue(supervisor, "{\"dn\":\"5001\"}"), HttpStatus.FORBIDDEN, expected);
		assertThat(mvc.post().uri(PATH).contentType(MediaType.APPLICATION_JSON).content("{\"dn\":\"5001\"}"))
			.hasStatus(HttpStatus.UNAUTHORIZED);
	}

	@Test
	void aBodyThatIsNotJsonIs415() {
		assertThat(mvc.post()
			.uri(PATH)
			.header("X-API-Key", CALLER_KEY)
			.contentType(MediaType.TEXT_PLAIN)
			.content("dn=5001")).hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
	}

	@Test
	void theAuditLineNamesWhoTheDnTheExpiryAndTheResult(CapturedOutput output) {
		issue(CALLER_KEY, "{\"dn\":\"5002\"}");
		issue(AGENT_5001, null);
		issue(AGENT_5001, "{\"dn\":\"5003\"}");
		issue(READER_KEY, "{\"dn\":\"5004\"}");

		assertThat(output.getOut())
			.contains("sip.credentials 5002 by key:test-caller: accepted 200, expires at " + EXPIRES_AT)
			.contains("sip.credentials 5001 by jwt:agent-5001: accepted 200, expires at " + EXPIRES_AT)
			.contains("sip.credentials 5003 by jwt:agent-5001: denied 403")
			// refused by the filter chain, before the body is read
			.contains("sip.credentials null by key:test-reader: denied 403");
	}

	@Test
	void neitherThePasswordNorTheSecretEverReachesTheLog(CapturedOutput output) throws Exception {
		MvcTestResult byKey = issue(CALLER_KEY, "{\"dn\":\"5002\"}");
		MvcTestResult byAgent = issue(AGENT_5001, null);

		for (MvcTestResult result : List.of(byKey, byAgent)) {
			assertThat(result).hasStatusOk();
			String password = json.readTree(result.getResponse().getContentAsByteArray()).path("password").asString();
			assertThat(password).isNotEmpty();
			assertThat(output.getAll()).doesNotContain(password);
		}
		assertThat(output.getAll()).doesNotContain(SECRET);
	}

	private MvcTestResult issue(String credential, String body) {
		var request = mvc.post().uri(PATH);
		request = credential.startsWith("Bearer ") ? request.header(HttpHeaders.AUTHORIZATION, credential)
				: request.header("X-API-Key", credential);
		if (body != null) {
			request = request.contentType(MediaType.APPLICATION_JSON).content(body);
		}
		return request.exchange();
	}

	private static void assertError(MvcTestResult result, HttpStatus status, String error) {
		assertThat(result).hasStatus(status).bodyJson().extractingPath("$.error").isEqualTo(error);
	}

}
