package org.signaling.api.sipauth;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.signaling.api.testsupport.OpenFeatureSliceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.signaling.api.testsupport.TestCredentials.CALLER_KEY;
import static org.signaling.api.testsupport.TestCredentials.jwt;

/** {@code POST /api/agent/sip-credentials} while {@code SIP_AUTH_SECRET} is not set ({@code ${SIP_AUTH_SECRET:}}). */
@OpenFeatureSliceTest
@TestPropertySource(properties = "signaling.sip-auth.secret=")
class SipCredentialsWithoutSecretTests {

	@Autowired
	MockMvcTester mvc;

	@Test
	void aRequestThatPassesTheChecksIs503AndSaysWhatToSet() {
		assertThat(mvc.post()
			.uri(SipCredentialsControllerTests.PATH)
			.header("X-API-Key", CALLER_KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"dn\":\"5002\"}")).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.bodyJson()
			.extractingPath("$.error")
			.asString()
			.startsWith("SIP credentials are not configured: set SIP_AUTH_SECRET");
		assertThat(mvc.post()
			.uri(SipCredentialsControllerTests.PATH)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + jwt("agent-5001", Map.of("dn", "5001"))))
			.hasStatus(HttpStatus.SERVICE_UNAVAILABLE);
	}

}
