package org.signaling.client;

import java.util.Map;

/**
 * A call's record ({@code GET /api/calls/{call_id}}, and each entry of the history): {@code origin} "api" or
 * "kamailio", {@code state} up to "ended" or "failed", times in epoch seconds (null until they happen),
 * {@code endCause}. {@code json} has the rest (correlation ids, Asterisk channels, {@code hangup_cause}).
 */
public record CallRecord(String callId, String origin, String state, String from, String to, String fromDn,
		Long createdAt, Long answeredAt, Long endedAt, String endCause, long duration, Map<String, Object> json) {

	static CallRecord from(Map<String, Object> json) {
		return new CallRecord(Fields.str(json, "call_id"), Fields.str(json, "origin"), Fields.str(json, "state"),
				Fields.str(json, "from"), Fields.str(json, "to"), Fields.str(json, "from_dn"),
				Fields.lng(json, "created_at"), Fields.lng(json, "answered_at"), Fields.lng(json, "ended_at"),
				Fields.str(json, "end_cause"), Fields.lng(json, "duration", 0), json);
	}

	/** The Genesys interaction's X-Genesys-CallUUID, when the call came through the Genesys SIP Server; else null. */
	public String genesysCallUuid() {
		return Fields.str(json, "genesys_call_uuid");
	}

}
