package org.signaling.client;

import java.util.Map;

/**
 * {@code GET /api/health}: {@code status} "ok" or "degraded", the service's name and version, {@code timestamp}
 * (epoch seconds, as the seed has it, a string), {@code uptime} seconds, and the backends' {@code components}.
 */
public record Health(String status, String service, String version, String timestamp, long uptime,
		Map<String, Object> components, Map<String, Object> json) {

	static Health from(Map<String, Object> json) {
		return new Health(Fields.str(json, "status"), Fields.str(json, "service"), Fields.str(json, "version"),
				Fields.str(json, "timestamp"), Fields.lng(json, "uptime", 0), Fields.map(json, "components"), json);
	}

	/** A component's status ("up", "down", "not_configured"), or null. */
	public String componentStatus(String name) {
		return Fields.str(Fields.map(components, name), "status");
	}

}
