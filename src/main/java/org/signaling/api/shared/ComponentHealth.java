package org.signaling.api.shared;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What one backend (kamailio, asterisk, genesys) looks like from here right now.
 *
 * @param status the backend's state
 * @param lastError the last failure seen talking to it, kept after recovery so an operator can see what happened
 * @param lastErrorAt when {@code lastError} was seen
 * @param details extra facts worth showing on a health page (server address, state age, ...)
 */
public record ComponentHealth(Status status, @Nullable String lastError, @Nullable Instant lastErrorAt,
		Map<String, Object> details) {

	public ComponentHealth {
		details = Map.copyOf(details);
	}

	public static ComponentHealth notConfigured() {
		return new ComponentHealth(Status.NOT_CONFIGURED, null, null, Map.of());
	}

	/** Whether this component makes the service "degraded". */
	public boolean isDown() {
		return status == Status.DOWN;
	}

	public enum Status {

		/** Reachable and answering. */
		UP,
		/** Configured but not reachable; the service is degraded. */
		DOWN,
		/** Not known yet (e.g. before the first probe). */
		UNKNOWN,
		/** Not configured on this deployment; does not degrade the service. */
		NOT_CONFIGURED;

		/** The lowercase name used in JSON ("up", "not_configured"). */
		public String jsonName() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
