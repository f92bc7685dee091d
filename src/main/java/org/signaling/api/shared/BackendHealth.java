package org.signaling.api.shared;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * A backend's health, shown both in {@code /api/health} ("components") and in Actuator
 * ({@code /actuator/health/<backend>}). Name the bean {@code <backend>HealthIndicator} so Actuator lists it under
 * the backend's name. Implementations must answer from memory: health is polled often and must never wait on the
 * backend itself.
 */
public interface BackendHealth extends HealthIndicator {

	/** The backend's name as shown to clients: "kamailio", "asterisk", "genesys". */
	String backend();

	ComponentHealth componentHealth();

	/**
	 * The status alone, for the open health check that every monitor polls: override it where the whole
	 * {@link #componentHealth()} (details, last error) costs more than the status.
	 */
	default ComponentHealth.Status status() {
		return componentHealth().status();
	}

	@Override
	default Health health() {
		ComponentHealth component = componentHealth();
		Map<String, Object> details = new LinkedHashMap<>(component.details());
		if (component.lastError() != null) {
			details.put("lastError", component.lastError());
			details.put("lastErrorAt", String.valueOf(component.lastErrorAt()));
		}
		Status status = switch (component.status()) {
			case UP -> Status.UP;
			case DOWN -> Status.DOWN;
			case UNKNOWN -> Status.UNKNOWN;
			case NOT_CONFIGURED -> new Status("NOT_CONFIGURED");
		};
		return Health.status(status).withDetails(details).build();
	}

}
