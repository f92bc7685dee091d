package org.signaling.client;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/dn/{dn}}: {@code status} "available", "busy", "unreachable" (registered, no contact answers) or
 * "offline", the SIP URI to route to, whether it is registered, its active calls and its registered contacts (raw JSON
 * objects).
 */
public record Dn(String dn, String status, String sipUri, boolean registered, int activeCallCount,
		List<Map<String, Object>> contacts, Map<String, Object> json) {

	static Dn from(Map<String, Object> json) {
		return new Dn(Fields.str(json, "dn"), Fields.str(json, "status"), Fields.str(json, "sip_uri"),
				Fields.bool(json, "registered"), Fields.integer(json, "active_call_count"),
				Fields.list(json, "contacts", (contact) -> contact), json);
	}

	public boolean available() {
		return "available".equals(status);
	}

	/** Registered with a contact that answers Kamailio's probes (a server from before reachability: registered). */
	public boolean reachable() {
		Object reachable = json.get("reachable");
		return (reachable instanceof Boolean answers) ? answers : registered;
	}

}
