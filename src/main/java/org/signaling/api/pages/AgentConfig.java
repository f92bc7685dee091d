package org.signaling.api.pages;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.signaling.api.call.CallsProperties;

/**
 * {@code GET /agent/config.json}: what the softphone needs before it signs in. Served without a credential, so it
 * holds addresses and behaviour only; the SIP credentials come from {@code POST /api/agent/sip-credentials}, with the
 * agent's token.
 *
 * @param websocketUrl Kamailio's SIP-over-WebSocket URL ({@link AgentSipEndpoint})
 * @param sipDomain the domain of the agent's AoR ({@code sip:5001@domain}; {@link AgentSipEndpoint})
 * @param autoAnswerFrom a display label only: a ringing call from one of these SIP users (click-to-dial's controller)
 * that the page cannot tie to a click-to-dial of its own is marked as unverified. It grants no auto-answer (kept for
 * compatibility)
 * @param iceServers for {@code RTCPeerConnection}'s {@code iceServers}
 * @param registerExpires the REGISTER's Expires, seconds
 * @param dtmfTransport "rfc2833" or "info"
 * @param embedOrigins the origins a host page (WWE) may hand the softphone its agent token from, with
 * {@code postMessage}: {@code signaling.pages.frame-ancestors}
 * @param clickToDialRingTimeout seconds an announced click-to-dial may still be answered by itself after the page saw
 * it: the longest ring time a make request may ask for ({@code signaling.calls.max-ring-timeout}), since the events
 * do not say each call's own
 */
record AgentConfig(@JsonProperty("websocket_url") String websocketUrl, @JsonProperty("sip_domain") String sipDomain,
		@JsonProperty("auto_answer_from") List<String> autoAnswerFrom,
		@JsonProperty("ice_servers") List<IceServer> iceServers, @JsonProperty("register_expires") int registerExpires,
		@JsonProperty("dtmf_transport") String dtmfTransport, @JsonProperty("embed_origins") List<String> embedOrigins,
		@JsonProperty("click_to_dial_ring_timeout") long clickToDialRingTimeout) {

	/** One {@code RTCIceServer}. */
	record IceServer(String urls) {
	}

	static AgentConfig of(PagesProperties pages, AgentSipEndpoint endpoint, CallsProperties calls) {
		return new AgentConfig(endpoint.websocketUrl(), endpoint.sipDomain(), List.copyOf(pages.autoAnswerFrom()),
				pages.iceServers().stream().map(IceServer::new).toList(), pages.registerExpires(),
				pages.dtmfTransport(), List.copyOf(pages.frameAncestors()), calls.maxRingTimeout().toSeconds());
	}

}
