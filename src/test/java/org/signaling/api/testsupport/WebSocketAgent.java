package org.signaling.api.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A browser agent as JsSIP is one on the wire: SIP over a WebSocket (subprotocol "sip") with an unroutable
 * {@code .invalid} contact. Registers, keeps the connection open, and closes it the way a closed tab does.
 */
public final class WebSocketAgent implements AutoCloseable {

	private final WebSocket socket;

	private WebSocketAgent(WebSocket socket) {
		this.socket = socket;
	}

	/** Opens the WebSocket to Kamailio and registers {@code dn}; returns once the 200 OK arrived. */
	public static WebSocketAgent register(KamailioProcess kamailio, String dn) throws Exception {
		LinkedBlockingQueue<String> inbox = new LinkedBlockingQueue<>();
		WebSocket socket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.subprotocols("sip")
			.connectTimeout(Duration.ofSeconds(5))
			.buildAsync(URI.create(kamailio.wsUrl()), new Inbox(inbox))
			.get(10, TimeUnit.SECONDS);
		WebSocketAgent agent = new WebSocketAgent(socket);
		String host = UUID.randomUUID().toString().substring(0, 12) + ".invalid";
		String uri = "sip:" + kamailio.listenIp();
		String fromTag = UUID.randomUUID().toString();
		String callId = UUID.randomUUID().toString();
		// Kamailio challenges every REGISTER (401): the second one answers it with the DN's SIP credentials
		String reply = null;
		String authorization = null;
		for (int cseq = 1; cseq <= 2; cseq++) {
			List<String> lines = new ArrayList<>(List.of("REGISTER " + uri + " SIP/2.0",
					"Via: SIP/2.0/WS " + host + ";branch=z9hG4bK" + UUID.randomUUID(), "Max-Forwards: 70",
					"To: <sip:" + dn + "@" + kamailio.listenIp() + ">",
					"From: <sip:" + dn + "@" + kamailio.listenIp() + ">;tag=" + fromTag,
					"Call-ID: " + callId, "CSeq: " + cseq + " REGISTER",
					"Contact: <sip:" + dn + "@" + host + ";transport=ws>;expires=600", "Expires: 600"));
			if (authorization != null) {
				lines.add("Authorization: " + authorization);
			}
			lines.addAll(List.of("User-Agent: WebSocket test agent " + dn, "Content-Length: 0", "", ""));
			String register = String.join("\r\n", lines);
			socket.sendText(register, true).get(5, TimeUnit.SECONDS);
			reply = inbox.poll(10, TimeUnit.SECONDS);
			if (reply == null || !reply.startsWith("SIP/2.0 401") || authorization != null) {
				break;
			}
			authorization = SipDigest.answer(SipDigest.challengeIn(reply), "REGISTER", uri,
					TestCredentials.sipCredentials(dn));
		}
		if (reply == null || !reply.startsWith("SIP/2.0 200")) {
			agent.close();
			throw new IllegalStateException("REGISTER of " + dn + " over WebSocket not accepted: " + reply);
		}
		return agent;
	}

	/** Closes the connection without unregistering, as a browser tab that goes away does. */
	@Override
	public void close() {
		socket.abort();
	}

	private record Inbox(LinkedBlockingQueue<String> messages) implements WebSocket.Listener {

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			messages.add(data.toString());
			webSocket.request(1);
			return CompletableFuture.completedFuture(null);
		}

	}

}
