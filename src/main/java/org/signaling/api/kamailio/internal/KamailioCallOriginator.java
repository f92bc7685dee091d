package org.signaling.api.kamailio.internal;

import java.security.SecureRandom;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;
import org.signaling.api.call.CallIds;
import org.signaling.api.call.CallOriginator;
import org.signaling.api.call.OriginateCommand;
import org.signaling.api.kamailio.KamailioProperties;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.Grammar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Click-to-dial without a PBX: {@code dlg.bridge_dlg [from, to, outbound proxy, body]}. Kamailio (as the
 * "controller" of kamailio.cfg's {@code bridge_controller}) INVITEs the agent through itself, so the INVITE is routed
 * like any call to the agent; once the agent answers, it REFERs the agent to the destination and hangs up. The agent's
 * phone then calls the destination itself. Both URIs carry our call id as parameter {@code xcid}, which kamailio.cfg
 * copies into the dialog variable {@code call_id} of the INVITE to the agent and of the agent's INVITE to the
 * destination (the Refer-To is a bracketed name-addr, so the parameter stays in the URI the phone calls).
 * <p>
 * Kamailio reports no outcome ({@code {}} whatever happens); progress is read from its dialogs.
 * The INVITE to the agent offers an inactive WebRTC audio stream (ICE credentials, a DTLS fingerprint, rtcp-mux,
 * BUNDLE) that a browser accepts and answers: Kamailio's own default (plain RTP/AVP on 0.0.0.0) is refused by
 * WebRTC stacks. No media ever flows on it; the controller leg lasts milliseconds.
 * <p>
 * {@code caller_id} cannot be carried: {@code dlg.bridge_dlg} adds no headers and the destination sees the agent's own
 * From. {@code auto_answer} reaches the agent's softphone through its event stream ({@code call.initiated}), which it
 * matches with the {@code X-Call-Id} kamailio.cfg writes on this INVITE.
 */
class KamailioCallOriginator implements CallOriginator {

	private static final Logger log = LoggerFactory.getLogger(KamailioCallOriginator.class);

	private static final SecureRandom RANDOM = new SecureRandom();

	private final KamailioRpcClient rpc;

	private final KamailioProperties properties;

	KamailioCallOriginator(KamailioRpcClient rpc, KamailioProperties properties) {
		this.rpc = rpc;
		this.properties = properties;
	}

	@Override
	public String name() {
		return KAMAILIO;
	}

	/** Returns no node: the dialogs are read from, and ended on, whichever Kamailio node owns them. */
	@Override
	public @Nullable String originate(OriginateCommand command) {
		if (!CallIds.isOurs(command.callId()) || !Grammar.isDn(command.agentDn())
				|| !Grammar.isDestination(command.destination())) {
			throw new IllegalArgumentException("Refusing to place a call with values outside their grammar");
		}
		String from = uri(command.agentDn(), command.callId());
		String to = "<" + uri(command.destination(), command.callId()) + ">";
		try {
			rpc.call("dlg.bridge_dlg", from, to, properties.bridgeOutboundProxy(), offer());
		}
		catch (KamailioRpcException ex) {
			String message = (ex.kind() == KamailioRpcException.Kind.UNREACHABLE) ? KamailioStateView.UNREACHABLE
					: "Kamailio did not place the call (" + ex.getMessage() + ")";
			throw new BackendUnavailableException("kamailio", message, ex);
		}
		log.debug("dlg.bridge_dlg {} -> {} for call {}", from, to, command.callId());
		return null;
	}

	/** {@code sip:user@sip-domain;xcid=call-...}; '#' is not allowed as such in a SIP URI's user part. */
	private String uri(String user, String callId) {
		return "sip:" + user.replace("#", "%23") + "@" + properties.sipDomain() + ";xcid=" + callId;
	}

	/** The SDP offer of the INVITE to the agent: inactive audio, acceptable to a WebRTC browser. */
	static String offer() {
		HexFormat hex = HexFormat.of();
		byte[] session = new byte[6];
		byte[] ufrag = new byte[4];
		byte[] pwd = new byte[12];
		byte[] fingerprint = new byte[32];
		RANDOM.nextBytes(session);
		RANDOM.nextBytes(ufrag);
		RANDOM.nextBytes(pwd);
		RANDOM.nextBytes(fingerprint);
		long sessionId = Long.parseLong(hex.formatHex(session), 16);
		return "v=0\r\n" + "o=- " + sessionId + " 1 IN IP4 0.0.0.0\r\n" + "s=signaling-api\r\n" + "t=0 0\r\n"
				+ "a=group:BUNDLE 0\r\n" + "a=msid-semantic: WMS\r\n" + "m=audio 9 UDP/TLS/RTP/SAVPF 111 0 8\r\n"
				+ "c=IN IP4 0.0.0.0\r\n" + "a=rtcp:9 IN IP4 0.0.0.0\r\n" + "a=ice-ufrag:" + hex.formatHex(ufrag)
				+ "\r\n" + "a=ice-pwd:" + hex.formatHex(pwd) + "\r\n" + "a=fingerprint:sha-256 "
				+ HexFormat.ofDelimiter(":").withUpperCase().formatHex(fingerprint) + "\r\n" + "a=setup:actpass\r\n"
				+ "a=mid:0\r\n" + "a=inactive\r\n" + "a=rtcp-mux\r\n" + "a=rtpmap:111 opus/48000/2\r\n"
				+ "a=fmtp:111 minptime=10;useinbandfec=1\r\n" + "a=rtpmap:0 PCMU/8000\r\n" + "a=rtpmap:8 PCMA/8000\r\n";
	}

}
