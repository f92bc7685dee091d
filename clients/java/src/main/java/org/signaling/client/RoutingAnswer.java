package org.signaling.client;

import java.util.Map;

/**
 * {@code GET /api/routing/dn/{dn}} and {@code GET /api/routing/select}: where to route now. Always an answer (an
 * unknown DN, Kamailio away): send the INVITE to {@code targetUri} when {@code reason} is "ok".
 *
 * @param reason "ok", "not_found", "not_registered", "unreachable", "busy" or "kamailio_unreachable"
 * @param targetUri "" unless {@code reason} is "ok"
 * @param retryAfterSeconds for "kamailio_unreachable", when to ask again
 */
public record RoutingAnswer(String dn, boolean found, boolean registered, boolean reachable, boolean available,
		boolean busy, String status, int activeCallCount, int contactCount, String sipUri, String targetUri,
		String reason, long stateAgeMs, int retryAfterSeconds, int candidatesTried, Map<String, Object> json) {

	static RoutingAnswer from(Map<String, Object> json) {
		return new RoutingAnswer(Fields.str(json, "dn"), Fields.bool(json, "found"), Fields.bool(json, "registered"),
				Fields.bool(json, "reachable"), Fields.bool(json, "available"), Fields.bool(json, "busy"),
				Fields.str(json, "status"), Fields.integer(json, "active_call_count"),
				Fields.integer(json, "contact_count"), Fields.str(json, "sip_uri"), Fields.str(json, "target_uri"),
				Fields.str(json, "reason"), Fields.lng(json, "state_age_ms", 0), Fields.integer(json, "retry_after_s"),
				Fields.integer(json, "candidates_tried"), json);
	}

	public boolean routable() {
		return "ok".equals(reason);
	}

}
