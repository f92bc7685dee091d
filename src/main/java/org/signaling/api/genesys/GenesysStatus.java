package org.signaling.api.genesys;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/genesys/status}: the seed's {@code connected}, {@code server}, {@code service}, {@code status};
 * {@code error} when not reachable.
 *
 * @param status "active" (answers OPTIONS), "trying" (a probe failed, still routed to), "unreachable" (does not
 * answer), "disabled" (taken out of service in Kamailio), or "unknown" (no probe result yet, or Kamailio unreachable)
 * @param targets the probed destinations behind it, with Kamailio's flags
 */
public record GenesysStatus(boolean connected, String server, String service, String status,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String error, List<Target> targets) {

	/** Whether the Genesys SIP Server can take calls: answered 200, otherwise 503. */
	@JsonIgnore
	public boolean isReachable() {
		return connected;
	}

	/** @param state "active", "trying", "unreachable", "disabled" or "unknown" */
	public record Target(String uri, String flags, String state) {
	}

}
