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
import org.signaling.api.shared.PerChange;
import org.signaling.api.shared.ReadyAnswer;
import org.signaling.api.shared.ReadyJson;
import org.signaling.api.shared.ReadyRead;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

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

	private final JsonMapper json;

	private final PerChange<String, ReadyJson<HealthResponse>> open = new PerChange<>();

	HealthController(List<BackendHealth> backends, ApiProperties properties, ObjectProvider<BuildProperties> build,
			JsonMapper json, Clock clock) {
		this.json = json;
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

	@ReadyRead
	@GetMapping(path = "/api/health", produces = "application/json")
	ReadyAnswer<HealthResponse> health() {
		Instant now = clock.instant();
		// Open to monitors; what failed and where the backends are is only for authenticated callers. The open answer
		// depends on the statuses and the second only: built once a second at most, whoever polls.
		ReadyJson<HealthResponse> ready;
		if (isAuthenticated()) {
			ready = ReadyJson.of(detailed(now), json);
		}
		else {
			List<ComponentHealth.Status> statuses = backends.stream().map(BackendHealth::status).toList();
			ready = open.get(() -> ReadyJson.of(open(statuses, now), json), statuses, now.getEpochSecond());
		}
		return ReadyAnswer.ok(ready);
	}

	private HealthResponse open(List<ComponentHealth.Status> statuses, Instant now) {
		Map<String, HealthResponse.Component> components = new LinkedHashMap<>();
		for (int i = 0; i < backends.size(); i++) {
			components.put(backends.get(i).backend(),
					new HealthResponse.Component(statuses.get(i).jsonName(), null, null, Map.of()));
		}
		boolean degraded = statuses.contains(ComponentHealth.Status.DOWN);
		return response(degraded, components, now);
	}

	private HealthResponse detailed(Instant now) {
		Map<String, HealthResponse.Component> components = new LinkedHashMap<>();
		boolean degraded = false;
		for (BackendHealth backend : backends) {
			ComponentHealth health = backend.componentHealth();
			degraded |= health.isDown();
			components.put(backend.backend(), new HealthResponse.Component(health.status().jsonName(),
					health.lastError(), (health.lastErrorAt() != null) ? health.lastErrorAt().toString() : null,
					health.details()));
		}
		return response(degraded, components, now);
	}

	private HealthResponse response(boolean degraded, Map<String, HealthResponse.Component> components,
			Instant now) {
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
