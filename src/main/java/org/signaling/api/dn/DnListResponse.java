package org.signaling.api.dn;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code GET /api/dn/list}: {@code {"dns": [...]}}. */
public record DnListResponse(List<Entry> dns, int count) {

	/**
	 * @param status "registered" (the seed's value) or "offline" (in the directory, not registered)
	 * @param availability "available", "busy", "unreachable" or "offline": the same value as {@code status} of
	 * {@code GET /api/dn/{dn}}
	 * @param reachable registered with at least one contact that answers
	 */
	public record Entry(String dn, @JsonProperty("sip_uri") String sipUri, String status, String availability,
			@JsonProperty("active_call_count") int activeCallCount,
			@JsonProperty("contact_count") int contactCount, boolean reachable) {
	}

}
