package org.signaling.client;

import java.util.List;
import java.util.Map;

/** {@code GET /api/calls/dn/{dn}}: the DN's active calls. */
public record AgentCalls(String dn, List<ActiveCall> activeCalls, int count) {

	static AgentCalls from(Map<String, Object> json) {
		return new AgentCalls(Fields.str(json, "dn"), Fields.list(json, "active_calls", ActiveCall::from),
				Fields.integer(json, "count"));
	}

}
