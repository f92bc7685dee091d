package org.signaling.api.web;

import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.signaling.api.dn.DnNotFoundException;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.testsupport.AuthenticatedRequests;
import org.signaling.api.testsupport.SecuredSlice;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/** Every failure, ours or the framework's, answers {@code {"error": "..."}} with the right status. */
@WebMvcTest(ErrorContractTests.Failing.class)
@Import({ ErrorContractTests.Failing.class, SecuredSlice.class, AuthenticatedRequests.class, ErrorContractTests.Clocks.class })
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
