package org.signaling.api.web;

import java.time.Clock;

import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.Test;
import org.signaling.api.call.CallNotFoundException;
import org.signaling.api.call.PbxRejectedException;
import org.signaling.api.dn.DnAccessDeniedException;
import org.signaling.api.dn.DnNotFoundException;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.ProblemType;
import org.signaling.api.shared.Problems;
import org.signaling.api.testsupport.AuthenticatedRequests;
import org.signaling.api.testsupport.SecuredSlice;
import org.signaling.api.webhooks.InvalidWebhookRequestException;
import org.signaling.api.webhooks.WebhookConflictException;
import org.signaling.api.webhooks.WebhookNotFoundException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.signaling.api.testsupport.ProblemAssertions.assertProblem;

/**
 * Every failure, ours or the framework's, answers {@code {"error": "..."}} with the right status and the problem type
 * of that failure ({@link ProblemType}).
 */
@WebMvcTest(ErrorContractTests.Failing.class)
@Import({ ErrorContractTests.Failing.class, SecuredSlice.class, AuthenticatedRequests.class,
		ErrorContractTests.Clocks.class })
@EnableConfigurationProperties(ApiProperties.class)
class ErrorContractTests {

	@Autowired
	MockMvcTester mvc;

	@Test
	void notFoundOfOurOwnKeepsItsMessage() {
		assertThat(mvc.get().uri("/test/dn-not-found/5001")).hasStatus(HttpStatus.NOT_FOUND)
			.bodyJson()
			.isLenientlyEqualTo("{\"error\":\"DN not found: 5001\",\"status\":404}");
	}

	@Test
	void backendUnavailableIs503WithRetryAfter() {
		assertThat(mvc.get().uri("/test/kamailio-down")).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.hasHeader("Retry-After", "2")
			.bodyJson()
			.isLenientlyEqualTo("{\"error\":\"Kamailio unreachable\",\"backend\":\"kamailio\"}");
	}

	@Test
	void databaseOutageIs503() {
		assertThat(mvc.get().uri("/test/database-down")).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.bodyJson()
			.isLenientlyEqualTo("{\"error\":\"Database unavailable\",\"backend\":\"database\"}");
	}

	@Test
	void unexpectedFailureIs500WithoutInternals() {
		var result = mvc.get().uri("/test/bug");

		assertThat(result).hasStatus(HttpStatus.INTERNAL_SERVER_ERROR)
			.bodyJson()
			.isLenientlyEqualTo("{\"error\":\"Internal error\"}");
		assertThat(result).bodyText().doesNotContain("IllegalStateException").doesNotContain("secret-detail");
	}

	@Test
	void unknownPathIs404() {
		assertThat(mvc.get().uri("/api/no-such-thing")).hasStatus(HttpStatus.NOT_FOUND)
			.bodyJson()
			.isLenientlyEqualTo("{\"error\":\"Not found\"}");
	}

	@Test
	void wrongMethodIs405() {
		assertThat(mvc.delete().uri("/test/kamailio-down")).hasStatus(HttpStatus.METHOD_NOT_ALLOWED)
			.bodyJson()
			.extractingPath("$.error")
			.asString()
			.contains("DELETE");
	}

	@Test
	void eachFeatureFailureHasItsOwnProblemType() {
		assertProblem(mvc.get().uri("/test/dn-not-found/5001").exchange(), ProblemType.DN_NOT_FOUND,
				"DN not found: 5001");
		assertProblem(mvc.get().uri("/test/call-not-found").exchange(), ProblemType.CALL_NOT_FOUND,
				"Call not found: c-1");
		assertProblem(mvc.get().uri("/test/dn-access-denied").exchange(), ProblemType.DN_ACCESS_DENIED,
				"Agent 5001 may only see its own DN");
		assertProblem(mvc.get().uri("/test/pbx-rejected").exchange(), ProblemType.PBX_REJECTED,
				"Asterisk rejected the call: Extension does not exist.");
		assertProblem(mvc.get().uri("/test/webhook-not-found").exchange(), ProblemType.WEBHOOK_NOT_FOUND,
				"Webhook not found");
		assertProblem(mvc.get().uri("/test/webhook-conflict").exchange(), ProblemType.WEBHOOK_CONFLICT,
				"Too many subscriptions");
		assertProblem(mvc.get().uri("/test/webhook-missing-url").exchange(), ProblemType.MISSING_PARAMETER,
				"Missing required parameter: url");
		assertProblem(mvc.get().uri("/test/webhook-invalid-url").exchange(), ProblemType.INVALID_PARAMETER,
				"Invalid url: expected https");
	}

	@Test
	void eachBackendHasItsOwnUnavailableType() {
		assertProblem(mvc.get().uri("/test/kamailio-down").exchange(), ProblemType.KAMAILIO_UNREACHABLE,
				"Kamailio unreachable");
		assertProblem(mvc.get().uri("/test/asterisk-down").exchange(), ProblemType.ASTERISK_UNREACHABLE,
				"Asterisk unreachable");
		assertProblem(mvc.get().uri("/test/database-down").exchange(), ProblemType.DATABASE_UNAVAILABLE,
				"Database unavailable");
		assertProblem(mvc.get().uri("/test/events-stopping").exchange(), ProblemType.BACKEND_UNAVAILABLE,
				"The service is stopping");
	}

	@Test
	void aTypeTheThrowerChoseIsKeptAndAnUncataloguedFailureIsNamedAfterItsStatus() {
		assertProblem(mvc.get().uri("/test/catalogued").exchange(), ProblemType.TOO_MANY_STREAMS, "Too many streams");
		assertProblem(mvc.get().uri("/test/bug").exchange(), ProblemType.INTERNAL_ERROR, "Internal error");
		assertThat(mvc.get().uri("/test/teapot")).hasStatus(HttpStatus.I_AM_A_TEAPOT)
			.bodyJson()
			.isLenientlyEqualTo("{\"type\":\"urn:signaling-api:problem:i-am-a-teapot\",\"title\":\"I'm a teapot\","
					+ "\"detail\":\"Short and stout\",\"error\":\"Short and stout\"}");
	}

	@Test
	void theErrorPageUsesTheSameTypesAsTheAdvice() {
		assertThat(errorPage(413)).isEqualTo(Problems.of(ProblemType.PAYLOAD_TOO_LARGE, "Request body too large"));
		assertThat(errorPage(404)).isEqualTo(Problems.of(ProblemType.NOT_FOUND, "Not found"));
		assertThat(errorPage(400)).isEqualTo(Problems.forStatus(HttpStatus.BAD_REQUEST, "Bad request"));
	}

	private static ProblemDetail errorPage(int status) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/error");
		request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
		return new JsonErrorController().error(request).getBody();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Clocks {

		@Bean
		Clock clock() {
			return Clock.systemUTC();
		}

	}

	@RestController
	static class Failing {

		@GetMapping("/test/dn-not-found/{dn}")
		String dnNotFound(@PathVariable String dn) {
			throw new DnNotFoundException(dn);
		}

		@GetMapping("/test/call-not-found")
		String callNotFound() {
			throw new CallNotFoundException("c-1");
		}

		@GetMapping("/test/dn-access-denied")
		String dnAccessDenied() {
			throw new DnAccessDeniedException("5001");
		}

		@GetMapping("/test/pbx-rejected")
		String pbxRejected() {
			throw new PbxRejectedException("Extension does not exist.");
		}

		@GetMapping("/test/webhook-not-found")
		String webhookNotFound() {
			throw new WebhookNotFoundException("Webhook", "no-such-id");
		}

		@GetMapping("/test/webhook-conflict")
		String webhookConflict() {
			throw new WebhookConflictException("Too many subscriptions");
		}

		@GetMapping("/test/webhook-missing-url")
		String webhookMissingUrl() {
			throw InvalidWebhookRequestException.missing("url");
		}

		@GetMapping("/test/webhook-invalid-url")
		String webhookInvalidUrl() {
			throw new InvalidWebhookRequestException("Invalid url: expected https");
		}

		@GetMapping("/test/asterisk-down")
		String asteriskDown() {
			throw new BackendUnavailableException("asterisk", "Asterisk unreachable");
		}

		@GetMapping("/test/events-stopping")
		String eventsStopping() {
			throw new BackendUnavailableException("events", "The service is stopping");
		}

		@GetMapping("/test/catalogued")
		String catalogued() {
			throw Problems.exception(ProblemType.TOO_MANY_STREAMS, "Too many streams");
		}

		@GetMapping("/test/teapot")
		String teapot() {
			ErrorResponseException teapot = new ErrorResponseException(HttpStatus.I_AM_A_TEAPOT);
			teapot.getBody().setDetail("Short and stout");
			throw teapot;
		}

		@GetMapping("/test/kamailio-down")
		String kamailioDown() {
			throw new BackendUnavailableException("kamailio", "Kamailio unreachable");
		}

		@GetMapping("/test/database-down")
		String databaseDown() {
			throw new DataAccessResourceFailureException("Connection to 10.0.0.9:5432 refused");
		}

		@GetMapping("/test/bug")
		String bug() {
			throw new IllegalStateException("secret-detail");
		}

	}

}
