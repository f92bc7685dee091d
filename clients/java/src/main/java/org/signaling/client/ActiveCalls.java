package org.signaling.client;

import java.util.List;
import java.util.Map;

/** {@code GET /api/calls/active}: the count (the seed's {@code active_calls}), per state, and every call. */
public record ActiveCalls(int activeCalls, String timestamp, Map<String, Object> byState, List<ActiveCall> calls) {

	static ActiveCalls from(Map<String, Object> json) {
		return new ActiveCalls(Fields.integer(json, "active_calls"), Fields.str(json, "timestamp"),
				Fields.map(json, "by_state"), Fields.list(json, "calls", ActiveCall::from));
	}

}
