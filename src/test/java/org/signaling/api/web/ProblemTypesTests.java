package org.signaling.api.web;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.shared.ProblemType;
import org.signaling.api.testsupport.FeatureControllerTest;
import org.signaling.api.testsupport.FeatureSliceTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.signaling.api.testsupport.ProblemAssertions.assertProblem;

/**
 * Each failure of the real endpoints carries its own problem type, so a client tells "DN not found" from "call not
 * found" without reading the text; the seed's {@code error} text is unchanged.
 */
@FeatureSliceTest
class ProblemTypesTests extends FeatureControllerTest {

	@BeforeEach
	void registerAgents() {
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp").register("5002", "sip:5002@10.1.1.6:5060", "udp");
	}

	@Test
	void unknownDnAndUnknownCallAreDifferentNotFounds() {
		assertProblem(mvc.get().uri("/api/dn/9999").exchange(), ProblemType.DN_NOT_FOUND, "DN not found: 9999");
		assertProblem(make("{\"from\":\"5003\",\"to\":\"1003\"}"), ProblemType.DN_NOT_FOUND, "DN not found: 5003");
		assertProblem(hangup("{\"call_id\":\"no-such-call\"}"), ProblemType.CALL_NOT_FOUND,
				"Call not found: no-such-call");
		assertProblem(mvc.get().uri("/api/no-such-thing").exchange(), ProblemType.NOT_FOUND, "Not found");
	}

	@Test
	void aMalformedDnIsInvalidDn() {
		assertProblem(mvc.get().uri("/api/dn/a@b").exchange(), ProblemType.INVALID_DN,
				"Invalid DN: expected 1-64 characters of A-Z a-z 0-9 + * # . _ -");
	}

	@Test
	void aMissingFieldAndAnInvalidOneAreToldApart() {
		assertProblem(make("{\"to\":\"1003\"}"), ProblemType.MISSING_PARAMETER, "Missing required parameter: from");
		assertProblem(make("{\"from\":\"5001\",\"to\":\"1003\",\"timeout\":0}"), ProblemType.INVALID_PARAMETER,
				"Invalid timeout: expected seconds from 1 to 120");
	}

	@Test
	void theTwoUnprocessableCallsAreToldApart() {
		assertProblem(make("{\"from\":\"5001\",\"to\":\"5001\"}"), ProblemType.CALL_TO_SELF,
				"Cannot call a DN from itself");

		mvc.post().uri("/api/call/make").header("Idempotency-Key", "k-1").contentType(MediaType.APPLICATION_JSON)
			.content("{\"from\":\"5001\",\"to\":\"1003\"}").exchange();
		assertProblem(mvc.post().uri("/api/call/make").header("Idempotency-Key", "k-1")
			.contentType(MediaType.APPLICATION_JSON).content("{\"from\":\"5001\",\"to\":\"1004\"}").exchange(),
				ProblemType.IDEMPOTENCY_CONFLICT, "Idempotency-Key already used for a different request");
	}

	@Test
	void bodiesSpringRefusesHaveTheirOwnTypes() {
		assertProblem(make("{\"from\":"), ProblemType.MALFORMED_JSON, "Malformed JSON request body");
		assertProblem(make(""), ProblemType.MISSING_BODY, "Missing request body");
		assertProblem(mvc.post().uri("/api/call/make").contentType(MediaType.TEXT_PLAIN).content("from=5001")
			.exchange(), ProblemType.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type: use application/json");
	}

	@Test
	void negotiationAndMethodFailuresHaveTheirOwnTypes() {
		assertProblem(mvc.get().uri("/api/dn/list").accept(MediaType.TEXT_HTML).exchange(),
				ProblemType.NOT_ACCEPTABLE, "Acceptable representations: [application/json].");
		assertProblem(mvc.delete().uri("/api/dn/list").exchange(), ProblemType.METHOD_NOT_ALLOWED,
				"Method 'DELETE' is not supported.");
	}

	@Test
	void kamailioDownIsKamailioUnreachable() {
		kamailio.unreachable();

		assertProblem(mvc.get().uri("/api/dn/list").exchange(), ProblemType.KAMAILIO_UNREACHABLE,
				"Kamailio unreachable");
	}

	private MvcTestResult make(String body) {
		return mvc.post().uri("/api/call/make").contentType(MediaType.APPLICATION_JSON).content(body).exchange();
	}

	private MvcTestResult hangup(String body) {
		return mvc.post().uri("/api/call/hangup").contentType(MediaType.APPLICATION_JSON).content(body).exchange();
	}

}
