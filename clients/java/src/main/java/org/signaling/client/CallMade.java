package org.signaling.client;

import java.util.Map;

/**
 * {@code POST /api/call/make} accepted (202): {@code status} "initiated" and the call id; the Idempotency-Key that
 * was sent and whether the service answered a replay of an earlier request with it ({@code Idempotent-Replayed}).
 */
public record CallMade(String status, String from, String to, String callId, String idempotencyKey,
		boolean replayed) {

	static CallMade from(Map<String, Object> json, String idempotencyKey, boolean replayed) {
		return new CallMade(Fields.str(json, "status"), Fields.str(json, "from"), Fields.str(json, "to"),
				Fields.str(json, "call_id"), idempotencyKey, replayed);
	}

}
