package org.signaling.api.web;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.shared.ComponentHealth;
import org.signaling.api.testsupport.SecuredSlice;
import org.signaling.api.testsupport.TestCredentials;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/health} stays open for monitors; what failed and where is only for authenticated callers. */
@WebMvcTest(HealthController.class)
@Import({ HealthControllerTests.Backends.class, SecuredSlice.class })
class HealthAccessTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	HealthControllerTests.Backends backends;

	@BeforeEach
	void setUp() {
		backends.kamailio.set(new ComponentHealth(ComponentHealth.Status.DOWN, "ul.dump: Kamailio unreachable",
				HealthControllerTests.START, Map.of("rpcUrl", "http://10.0.0.54:5071/RPC")));
		backends.asterisk.set(ComponentHealth.notConfigured());
	}

	@Test
	void anonymousMonitorsSeeTheStatusOfEachBackendButNoDetails() {
		assertThat(mvc.get().uri("/api/health")).hasStatusOk().bodyJson().isLenientlyEqualTo("""
				{"status":"degraded","service":"kamailio-custom-signaling",
				 "components":{"kamailio":{"status":"down","last_error":null,"last_error_at":null,"details":{}}}}""");
	}

	@Test
	void authenticatedCallersSeeWhatFailedAndWhere() {
		assertThat(mvc.get().uri("/api/health").header("X-API-Key", TestCredentials.READER_KEY)).bodyJson()
			.isLenientlyEqualTo("""
					{"components":{"kamailio":{"status":"down","last_error":"ul.dump: Kamailio unreachable",
					 "details":{"rpcUrl":"http://10.0.0.54:5071/RPC"}}}}""");
	}

}
