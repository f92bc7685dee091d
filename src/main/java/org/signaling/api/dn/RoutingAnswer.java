package org.signaling.api.dn;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code GET /api/routing/dn/{dn}} and {@code GET /api/routing/select}: one flat object, every key always present,
 * only strings, numbers and booleans. That is what a Genesys Cloud data action's output contract accepts, and what
 * ORS {@code <session:fetch>} or a URS web service reads without a JSON path.
 *
 * @param found the DN is registered or in the DN directory (false also while Kamailio cannot be asked)
 * @param reachable registered with a contact that answered Kamailio's probes lately ({@link Reachability})
 * @param available registered, reachable and in no active call: route to it now
 * @param status "available", "busy", "unreachable", "offline" (known, not registered) or "unknown" (not found, or
 * Kamailio away)
 * @param sipUri the DN's address at the Kamailio SIP domain
 * @param targetUri where to send the INVITE now: the same as {@code sip_uri} when {@code reason} is "ok", otherwise
 * ""
 * @param reason "ok", "not_found", "not_registered", "unreachable", "busy" or "kamailio_unreachable"
 * @param stateAgeMs how old the state behind the answer is
 * @param retryAfterSeconds for "kamailio_unreachable", when to ask again; otherwise 0
 * @param candidatesTried the candidates looked at for this answer: 1 for a single DN, 0 when none could be
 */
public record RoutingAnswer(String dn, boolean found, boolean registered, boolean reachable, boolean available,
		boolean busy, String status, @JsonProperty("active_call_count") int activeCallCount,
		@JsonProperty("contact_count") int contactCount, @JsonProperty("sip_uri") String sipUri,
		@JsonProperty("target_uri") String targetUri, String reason, @JsonProperty("state_age_ms") long stateAgeMs,
		@JsonProperty("retry_after_s") int retryAfterSeconds, @JsonProperty("candidates_tried") int candidatesTried) {

	public static final String OK = "ok";

	public static final String NOT_FOUND = "not_found";

	public static final String NOT_REGISTERED = "not_registered";

	public static final String UNREACHABLE = "unreachable";

	public static final String BUSY = "busy";

	public static final String KAMAILIO_UNREACHABLE = "kamailio_unreachable";

	/** This answer with its data's age, for candidates tried so far. */
	RoutingAnswer stamped(long ageMs, int tried) {
		return new RoutingAnswer(dn, found, registered, reachable, available, busy, status, activeCallCount,
				contactCount, sipUri, targetUri, reason, ageMs, retryAfterSeconds, tried);
	}

}
