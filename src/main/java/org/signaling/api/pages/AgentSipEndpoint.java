package org.signaling.api.pages;

import java.net.URI;

import org.signaling.api.kamailio.KamailioProperties;

/**
 * Where agents' softphones register: Kamailio's SIP-over-WebSocket URL and the SIP domain of the agents' AoRs
 * ({@code sip:5001@domain}). The one place these are worked out from the properties, so that
 * {@code GET /agent/config.json} and the SIP credentials the API issues always name the same ones.
 *
 * @param websocketUrl {@code signaling.pages.websocket-url}, else {@code ws://} and the host of
 * {@code signaling.kamailio.sip-domain} on port 8080
 * @param sipDomain {@code signaling.pages.sip-domain}, else {@code signaling.kamailio.sip-domain}
 */
public record AgentSipEndpoint(String websocketUrl, String sipDomain) {

	/** Kamailio's WebSocket listener in the project's configuration ({@code WS_PORT}). */
	static final int DEFAULT_WEBSOCKET_PORT = 8080;

	static AgentSipEndpoint of(PagesProperties pages, KamailioProperties kamailio) {
		String sipDomain = (pages.sipDomain() != null) ? pages.sipDomain() : kamailio.sipDomain();
		String websocketUrl = (pages.websocketUrl() != null) ? pages.websocketUrl().toString()
				: "ws://" + hostOf(kamailio.sipDomain()) + ":" + DEFAULT_WEBSOCKET_PORT;
		return new AgentSipEndpoint(websocketUrl, sipDomain);
	}

	/** The WebSocket URL's origin ({@code ws://host:port}), as a CSP source. */
	String websocketOrigin() {
		URI uri = URI.create(websocketUrl);
		return uri.getScheme() + "://" + uri.getRawAuthority();
	}

	/**
	 * The host of a SIP domain, for a URL: {@code 10.0.0.5:5060} is {@code 10.0.0.5}, a bare IPv6 address gets its
	 * brackets.
	 */
	static String hostOf(String sipDomain) {
		if (sipDomain.startsWith("[")) {
			int end = sipDomain.indexOf(']');
			return (end > 0) ? sipDomain.substring(0, end + 1) : sipDomain;
		}
		int colons = sipDomain.length() - sipDomain.replace(":", "").length();
		if (colons == 1) {
			return sipDomain.substring(0, sipDomain.indexOf(':'));
		}
		return (colons > 1) ? "[" + sipDomain + "]" : sipDomain;
	}

}
