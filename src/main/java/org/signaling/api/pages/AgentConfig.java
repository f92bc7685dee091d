package org.signaling.api.pages;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code GET /agent/config.json}: what the softphone needs to register. Served without a credential, so it holds
 * addresses and behaviour only.
 *
 * @param websocketUrl Kamailio's SIP-over-WebSocket URL ({@link AgentSipEndpoint})
 * @param sipDomain the domain of the agent's AoR ({@code sip:5001@domain}; {@link AgentSipEndpoint})
 * @param autoAnswerFrom SIP users whose INVITEs are answered without a click (click-to-dial's controller)
 * @param iceServers for {@code RTCPeerConnection}'s {@code iceServers}
 * @param registerExpires the REGISTER's Expires, seconds
 * @param dtmfTransport "rfc2833" or "info"
 */
record AgentConfig(@JsonProperty("websocket_url") String websocketUrl, @JsonProperty("sip_domain") String sipDomain,
		@JsonProperty("auto_answer_from") List<String> autoAnswerFrom,
		@JsonProperty("ice_servers") List<IceServer> iceServers, @JsonProperty("register_expires") int registerExpires,
		@JsonProperty("dtmf_transport") String dtmfTransport) {

	/** One {@code RTCIceServer}. */
	record IceServer(String urls) {
	}

	static AgentConfig of(PagesProperties pages, AgentSipEndpoint endpoint) {
		return new AgentConfig(endpoint.websocketUrl(), endpoint.sipDomain(), List.copyOf(pages.autoAnswerFrom()),
				pages.iceServers().stream().map(IceServer::new).toList(), pages.registerExpires(),
				pages.dtmfTransport());
	}

}
