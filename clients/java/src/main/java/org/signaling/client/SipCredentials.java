package org.signaling.client;

import java.util.Map;

/**
 * {@code POST /api/agent/sip-credentials}: what the agent's softphone registers with. {@link #toString()} leaves the
 * password out.
 *
 * @param username {@code <expiresAt>:<dn>}, the SIP authentication user (the AoR user stays the DN)
 * @param password never log it
 * @param expiresAt epoch seconds; ask again before
 * @param realm the agents' SIP domain
 * @param websocketUrl Kamailio's SIP-over-WebSocket URL
 */
public record SipCredentials(String username, String password, long expiresAt, String realm, String websocketUrl) {

	static SipCredentials from(Map<String, Object> json) {
		return new SipCredentials(Fields.str(json, "username"), Fields.str(json, "password"),
				Fields.lng(json, "expires_at", 0), Fields.str(json, "realm"), Fields.str(json, "websocket_url"));
	}

	@Override
	public String toString() {
		return "SipCredentials[username=" + username + ", password=******, expiresAt=" + expiresAt + ", realm="
				+ realm + ", websocketUrl=" + websocketUrl + "]";
	}

}
