package org.signaling.api.genesys;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.signaling.api.shared.BackendHealth;
import org.signaling.api.shared.ComponentHealth;
import org.springframework.stereotype.Component;

/** The "genesys" health component, from Kamailio's probing of the Genesys SIP Server. */
@Component("genesysHealthIndicator")
class GenesysHealthIndicator implements BackendHealth {

	private final GenesysStatusService genesys;

	private final Clock clock;

	private volatile @Nullable String lastError;

	private volatile @Nullable Instant lastErrorAt;

	GenesysHealthIndicator(GenesysStatusService genesys, Clock clock) {
		this.genesys = genesys;
		this.clock = clock;
	}

	@Override
	public String backend() {
		return "genesys";
	}

	@Override
	public ComponentHealth componentHealth() {
		GenesysStatus status = genesys.status().value();
		ComponentHealth.Status health = switch (status.status()) {
			case "active", "trying" -> ComponentHealth.Status.UP;
			case "unknown" -> ComponentHealth.Status.UNKNOWN;
			default -> ComponentHealth.Status.DOWN;
		};
		if (status.error() != null && !status.error().equals(lastError)) {
			// Remember when this failure was first seen; it stays visible after recovery.
			lastError = status.error();
			lastErrorAt = clock.instant();
		}
		return new ComponentHealth(health, lastError, lastErrorAt,
				Map.of("server", status.server(), "status", status.status()));
	}

}
