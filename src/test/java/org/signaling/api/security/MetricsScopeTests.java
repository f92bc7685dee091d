package org.signaling.api.security;

import org.junit.jupiter.api.Test;
import org.signaling.api.testsupport.FakeBackends;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.signaling.api.testsupport.TestCredentials.ADMIN_KEY;
import static org.signaling.api.testsupport.TestCredentials.READER_KEY;
import static org.signaling.api.testsupport.TestCredentials.SCRAPER_KEY;

/**
 * A Prometheus scraper needs no admin key: scope {@code metrics} reads {@code /actuator/prometheus} (as a header or
 * a bearer token, which Prometheus sends) and nothing else: no API, no other Actuator endpoint, no webhook.
 */
@SpringBootTest(properties = { "signaling.kamailio.rpc-url=http://127.0.0.1:9/RPC",
		"signaling.kamailio.sip-domain=192.168.210.54", "signaling.genesys.server=192.168.210.81:5060" })
@AutoConfigureMockMvc
@Import(FakeBackends.class)
class MetricsScopeTests {

	@Autowired
	MockMvcTester mvc;

	@Test
	void aMetricsKeyScrapesPrometheusAsABearerTokenToo() {
		assertThat(mvc.get().uri("/actuator/prometheus").header("Authorization", "Bearer " + SCRAPER_KEY))
			.hasStatusOk()
			.bodyText()
			.contains("signaling_events_streams{")
			.contains("jvm_memory_used_bytes");
		assertThat(mvc.get().uri("/actuator/prometheus").header("X-API-Key", SCRAPER_KEY)).hasStatusOk();
	}

	@Test
	void aMetricsKeyReadsNothingElse() {
		for (String path : new String[] { "/api/dn/list", "/api/calls/active", "/api/webhooks", "/actuator/metrics",
				"/actuator/info" }) {
			assertThat(mvc.get().uri(path).header("X-API-Key", SCRAPER_KEY)).as(path)
				.hasStatus(HttpStatus.FORBIDDEN);
		}
		assertThat(mvc.post().uri("/api/call/hangup").header("X-API-Key", SCRAPER_KEY)
			.contentType("application/json")
			.content("{\"call_id\":\"call-1\"}")).hasStatus(HttpStatus.FORBIDDEN);
	}

	@Test
	void theMetricsStayClosedToOtherScopesAndToNoCredential() {
		assertThat(mvc.get().uri("/actuator/prometheus")).hasStatus(HttpStatus.UNAUTHORIZED);
		assertThat(mvc.get().uri("/actuator/prometheus").header("X-API-Key", READER_KEY))
			.hasStatus(HttpStatus.FORBIDDEN);
		assertThat(mvc.get().uri("/actuator/prometheus").header("X-API-Key", ADMIN_KEY)).hasStatusOk();
	}

}
