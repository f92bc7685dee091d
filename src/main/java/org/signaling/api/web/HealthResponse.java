package org.signaling.api.web;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/health}: the seed's {@code status}, {@code service}, {@code version}, {@code timestamp} (epoch
 * seconds as a string) and {@code uptime} (seconds, a number), plus one entry per backend.
 *
 * @param status "ok", or "degraded" while a configured backend is down
 */
record HealthResponse(String status, String service, String version, String timestamp, long uptime,
		Map<String, Component> components) {

	/**
	 * @param status "up", "down", "unknown" or "not_configured"
	 * @param lastError the last failure seen, kept after recovery
	 * @param lastErrorAt ISO-8601 time of {@code lastError}
	 */
	record Component(String status, @JsonProperty("last_error") @Nullable String lastError,
			@JsonProperty("last_error_at") @Nullable String lastErrorAt, Map<String, Object> details) {
	}

}
