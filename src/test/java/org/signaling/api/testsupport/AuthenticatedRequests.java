package org.signaling.api.testsupport;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * Every MockMvc request carries the test admin API key unless the test sets its own credential header, so tests of
 * endpoint behaviour are not about authentication (that is tested in the security tests).
 */
@TestConfiguration(proxyBeanMethods = false)
public class AuthenticatedRequests {

	@Bean
	MockMvcBuilderCustomizer adminApiKeyByDefault() {
		return (builder) -> builder
			.defaultRequest(MockMvcRequestBuilders.get("/").header("X-API-Key", TestCredentials.ADMIN_KEY));
	}

}
