package org.signaling.api.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.signaling.api.shared.BackendHealth;
import org.signaling.api.shared.ComponentHealth;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/health}: always 200 while the service runs (the seed's "is it running"), with "degraded" and the
 * failing component when a backend is down. Orchestrators should use {@code /actuator/health/liveness} and
 * {@code /actuator/health/readiness}. Answered from memory: polling it never touches a backend.
 */
@RestController
class HealthController {

	private static final List<String> ORDER = List.of("kamailio", "asterisk", "genesys");

	private final List<BackendHealth> backends;

	private final ApiProperties properties;

	private final String version;

	private final Clock clock;

	private final Instant startedAt;

	HealthController(List<BackendHealth> backends, ApiProperties properties, ObjectProvider<BuildProperties> build,
			Clock clock) {
		this.backends = backends.stream()
			.sorted(Comparator.comparingInt((BackendHealth backend) -> rank(backend.backend()))
				.thenComparing(BackendHealth::backend))
			.toList();
		this.properties = properties;
		BuildProperties buildProperties = build.getIfAvailable();
		this.version = (buildProperties != null && buildProperties.getVersion() != null) ? buildProperties.getVersion()
				: "unknown";
		this.clock = clock;
		this.startedAt = clock.instant();
	}

	@GetMapping(path = "/api/health", produces = "application/json")
	HealthResponse health() {
		// Open to monitors; what failed and where the backends are is only for authenticated callers.
		boolean detailed = isAuthenticated();
		Map<String, HealthResponse.Component> components = new LinkedHashMap<>();
		boolean degraded = false;
		for (BackendHealth backend : backends) {
			ComponentHealth health = backend.componentHealth();
			degraded |= health.isDown();
			components.put(backend.backend(), detailed
					? new HealthResponse.Component(health.status().jsonName(), health.lastError(),
							(health.lastErrorAt() != null) ? health.lastErrorAt().toString() : null, health.details())
					: new HealthResponse.Component(health.status().jsonName(), null, null, Map.of()));
		}
		Instant now = clock.instant();
		return new HealthResponse(degraded ? "degraded" : "ok", properties.serviceName(), version,
				Long.toString(now.getEpochSecond()), Duration.between(startedAt, now).toSeconds(), components);
	}

	private static boolean isAuthenticated() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return authentication != null && authentication.isAuthenticated()
				&& !(authentication instanceof AnonymousAuthenticationToken);
	}

	private static int rank(String backend) {
		int index = ORDER.indexOf(backend);
		return (index >= 0) ? index : ORDER.size();
	}

}
