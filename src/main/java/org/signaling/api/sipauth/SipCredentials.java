package org.signaling.api.sipauth;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /api/agent/sip-credentials}: what a softphone registers with. Its {@link #toString()} leaves the
 * password out, so that no log line can carry it.
 *
 * @param username {@code <expires_at>:<dn>}, the SIP authentication user (not the AoR user, which stays the DN)
 * @param password the Base64 HMAC-SHA256 of the username under the secret shared with Kamailio
 * @param expiresAt when Kamailio stops accepting them, epoch seconds
 * @param realm the agents' SIP domain
 * @param websocketUrl Kamailio's SIP-over-WebSocket URL, the one {@code /agent/config.json} serves
 */
public record SipCredentials(String username, String password, @JsonProperty("expires_at") long expiresAt,
		String realm, @JsonProperty("websocket_url") String websocketUrl) {

	/** The DN they are for: the username after the expiry. */
	@JsonIgnore
	public String dn() {
		return username.substring(username.indexOf(':') + 1);
	}

	@Override
	public String toString() {
		return "SipCredentials[username=" + username + ", password=******, expiresAt=" + expiresAt + ", realm="
				+ realm + ", websocketUrl=" + websocketUrl + "]";
	}

}
