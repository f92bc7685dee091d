package org.signaling.api.testsupport;

import org.signaling.api.shared.ProblemType;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/** The error contract of one answer: the catalogued type and its status, and the seed's {@code error} = detail. */
public final class ProblemAssertions {

	private ProblemAssertions() {
	}

	public static void assertProblem(MvcTestResult result, ProblemType type, String error) {
		assertThat(result).hasStatus(type.status());
		assertThat(result).bodyJson()
			.isLenientlyEqualTo("{\"type\":\"urn:signaling-api:problem:" + type.id() + "\",\"status\":"
					+ type.status().value() + ",\"title\":\"" + type.title() + "\"}");
		assertThat(result).bodyJson().extractingPath("$.error").isEqualTo(error);
		assertThat(result).bodyJson().extractingPath("$.detail").isEqualTo(error);
	}

}
