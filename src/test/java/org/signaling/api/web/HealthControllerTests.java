package org.signaling.api.web;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.shared.BackendHealth;
import org.signaling.api.shared.ComponentHealth;
import org.signaling.api.testsupport.AuthenticatedRequests;
import org.signaling.api.testsupport.MutableClock;
import org.signaling.api.testsupport.SecuredSlice;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;

@WebMvcTest(HealthController.class)
@Import({ HealthControllerTests.Backends.class, SecuredSlice.class, AuthenticatedRequests.class })
class HealthControllerTests {

	static final Instant START = Instant.parse("2026-11-26T10:00:00Z");

	@Autowired
	MockMvcTester mvc;

	@Autowired
	MutableClock clock;

	@Autowired
	Backends backends;

	@BeforeEach
	void setUp() {
		backends.kamailio.set(new ComponentHealth(ComponentHealth.Status.UP, null, null, Map.of("stateAgeMs", 420)));
		backends.asterisk.set(ComponentHealth.notConfigured());
	}

	@Test
	void answersTheSeedsFieldsWithTheSeedsTypes() {
		clock.set(START.plusSeconds(3600));

		assertThat(mvc.get().uri("/api/health")).hasStatusOk().bodyJson().isLenientlyEqualTo("""
				{"status":"ok","service":"kamailio-custom-signaling","timestamp":"%d","uptime":3600}"""
			.formatted(START.getEpochSecond() + 3600));
		assertThat(mvc.get().uri("/api/health")).bodyJson().extractingPath("$.version").isNotNull();
	}

	@Test
	void listsEveryBackendInAFixedOrder() {
		assertThat(mvc.get().uri("/api/health")).bodyJson().isLenientlyEqualTo("""
				{"components":{
				  "kamailio":{"status":"up","last_error":null,"details":{"stateAgeMs":420}},
				  "asterisk":{"status":"not_configured"}}}""");
	}

	@Test
	void isDegradedWhileABackendIsDownAndNamesTheFailure() {
		Instant failedAt = START.plus(Duration.ofSeconds(10));
		backends.kamailio.set(new ComponentHealth(ComponentHealth.Status.DOWN,
				"ul.dump: Kamailio unreachable (ConnectException)", failedAt, Map.of()));

		assertThat(mvc.get().uri("/api/health")).hasStatusOk().bodyJson().isLenientlyEqualTo("""
				{"status":"degraded","components":{"kamailio":{"status":"down",
				 "last_error":"ul.dump: Kamailio unreachable (ConnectException)",
				 "last_error_at":"2026-11-26T10:00:10Z"}}}""");
	}

	@Test
	void aBackendThatIsNotConfiguredDoesNotDegrade() {
		assertThat(mvc.get().uri("/api/health")).bodyJson().extractingPath("$.status").isEqualTo("ok");
	}

	@Test
	void everyResponseCarriesARequestId() {
		assertThat(mvc.get().uri("/api/health")).headers().containsHeader("X-Request-Id");
		assertThat(mvc.get().uri("/api/health").header("X-Request-Id", "wwe-42")).hasHeader("X-Request-Id", "wwe-42");
	}

	@Test
	void aForgedRequestIdIsReplaced() {
		var result = mvc.get().uri("/api/health").header("X-Request-Id", "x\" level=ERROR msg=\"forged").exchange();

		assertThat(result.getResponse().getHeader("X-Request-Id")).matches("[0-9a-f-]{36}");
	}

	@TestConfiguration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ApiProperties.class)
	static class Backends {

		final AtomicReference<ComponentHealth> kamailio = new AtomicReference<>();

		final AtomicReference<ComponentHealth> asterisk = new AtomicReference<>();

		@Bean
		MutableClock clock() {
			return new MutableClock(START);
		}

		@Bean
		BackendHealth asteriskHealthIndicator() {
			return backend("asterisk", asterisk);
		}

		@Bean
		BackendHealth kamailioHealthIndicator() {
			return backend("kamailio", kamailio);
		}

		private static BackendHealth backend(String name, AtomicReference<ComponentHealth> health) {
			return new BackendHealth() {
				@Override
				public String backend() {
					return name;
				}

				@Override
				public ComponentHealth componentHealth() {
					return health.get();
				}
			};
		}

	}

}
