package org.signaling.api.pages;

import java.net.URI;
import java.util.List;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code signaling.pages.*}: where the agent softphone registers and how it behaves. Everything here is served
 * openly to browsers ({@code GET /agent/config.json}), so nothing here may be a secret: ICE servers are URLs only,
 * never TURN credentials.
 *
 * @param websocketUrl Kamailio's SIP-over-WebSocket endpoint; not set: {@code ws://} and the host of
 * {@code signaling.kamailio.sip-domain} on port 8080. An https page may only open {@code ws://} to loopback:
 * anywhere else this must be {@code wss://}.
 * @param sipDomain the domain agents register in ({@code sip:DN@domain}); not set: {@code
 * signaling.kamailio.sip-domain}
 * @param autoAnswerFrom a display label only, kept for compatibility: SIP users (Kamailio's click-to-dial controller,
 * {@code dlg.bridge_dlg}'s {@code bridge_controller} user) whose ringing calls the softphone marks as an unverified
 * click-to-dial when it cannot tie them to one of its own. It grants no auto-answer: the softphone answers by itself
 * only an INVITE whose {@code X-Call-Id} names a click-to-dial announced for its DN on its event stream, and follows
 * a REFER only on such a call; {@code Call-Info answer-after} may then only set the delay.
 * @param iceServers STUN/TURN URLs for the browsers' peer connections ({@code stun:host:port}); empty: host candidates
 * only, as on a LAN or loopback
 * @param registerExpires seconds a registration lasts before the softphone renews it (and how long a crashed tab's
 * contact may linger when Kamailio does not notice the lost WebSocket)
 * @param dtmfTransport how keypad digits are sent in a call: {@code rfc2833} (RTP telephone-events, what Asterisk and
 * Genesys media expect) or {@code info} (SIP INFO)
 * @param frameAncestors origins that may show the pages in a frame (e.g. WWE at {@code https://wwe.example.com}), and
 * the only origins the softphone takes an agent token from through {@code postMessage}; empty: no framing at all
 * (clickjacking protection for the dial and hang-up buttons) and no token handed over
 */
@Validated
@ConfigurationProperties("signaling.pages")
public record PagesProperties(@Nullable URI websocketUrl,
		@Nullable @Pattern(regexp = "[A-Za-z0-9.:\\[\\]-]+",
				message = "must be a host name or address") String sipDomain,
		@DefaultValue("controller") @NotNull List<@NotNull @Pattern(regexp = "[A-Za-z0-9._~+-]{1,64}",
				message = "must be a SIP user such as controller") String> autoAnswerFrom,
		@DefaultValue @NotNull List<@NotNull @Pattern(
				regexp = "(stun|stuns|turn|turns):[A-Za-z0-9.:\\[\\]-]+(\\?transport=(udp|tcp))?",
				message = "must be a STUN or TURN URL without credentials, such as stun:stun.example.com:3478")
				String> iceServers,
		@DefaultValue("600") @Min(60) @Max(86400) int registerExpires,
		@DefaultValue("rfc2833") @NotNull @Pattern(regexp = "rfc2833|info",
				message = "must be rfc2833 or info") String dtmfTransport,
		@DefaultValue @NotNull List<@NotNull @Pattern(regexp = "https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?",
				message = "must be an exact origin such as https://wwe.example.com (no wildcard, no path)")
				String> frameAncestors) {

	@AssertTrue(message = "websocket-url must be a ws:// or wss:// URL with a host, and without user info, query or "
			+ "fragment")
	public boolean isWebsocketUrlValid() {
		if (websocketUrl == null) {
			return true;
		}
		String scheme = websocketUrl.getScheme();
		return ("ws".equals(scheme) || "wss".equals(scheme)) && websocketUrl.getHost() != null
				&& websocketUrl.getRawUserInfo() == null && websocketUrl.getRawQuery() == null
				&& websocketUrl.getRawFragment() == null;
	}

}
