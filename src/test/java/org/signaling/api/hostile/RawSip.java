package org.signaling.api.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.signaling.api.testsupport.KamailioProcess;
import org.signaling.api.testsupport.SipDigest;
import org.signaling.api.testsupport.TestCredentials;

/**
 * A SIP user agent over UDP on a loopback address (127.0.0.1 like the agents, or the trusted peers' 127.0.0.2) that
 * sends exactly the bytes it is given: raw non-UTF-8 bytes (a lone 0xFF
 * or 0xC3) in a From user or a Call-ID, which a SIPp scenario (XML text) cannot carry. It places a call (INVITE, ACK
 * along the Record-Route set, BYE), registers, and answers any request sent to it (Kamailio's BYE on a hang-up) with
 * 200. Messages are ISO-8859-1 strings here: one char per byte, so every byte goes out as it came in.
 */
final class RawSip implements AutoCloseable {

	/** How long to wait for a final answer; Kamailio's sanity checks drop a bad message without one. */
	static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(4);

	/** A receiver thread left running by a failed test ends by itself after this. */
	private static final Duration MAX_LIFETIME = Duration.ofMinutes(10);

	private static final AtomicInteger BRANCHES = new AtomicInteger();

	private final DatagramSocket socket;

	private final InetSocketAddress kamailio;

	private final BlockingQueue<String> responses = new LinkedBlockingQueue<>();

	private final List<String> answeredRequests = Collections.synchronizedList(new ArrayList<>());

	private final List<String> receivedRequests = Collections.synchronizedList(new ArrayList<>());

	private final AtomicInteger responsesReceived = new AtomicInteger();

	private final String localIp;

	private final Thread receiver;

	private volatile boolean open = true;

	RawSip(String kamailioHost, int kamailioPort) {
		this(kamailioHost, kamailioPort, "127.0.0.1");
	}

	/** Sending from {@code localIp}, e.g. {@link KamailioProcess#TRUSTED_PEER_IP} to speak as a trusted peer. */
	RawSip(String kamailioHost, int kamailioPort, String localIp) {
		this.localIp = localIp;
		try {
			this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(localIp), 0));
			this.socket.setSoTimeout(200);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.kamailio = new InetSocketAddress(kamailioHost, kamailioPort);
		this.receiver = new Thread(this::receive, "raw-sip-" + socket.getLocalPort());
		this.receiver.setDaemon(true);
		this.receiver.start();
	}

	int port() {
		return socket.getLocalPort();
	}

	/** A dialog this agent placed, as far as it got. */
	record SipCall(String fromUri, String tag, String callId, int status, String toWithTag, String target,
			List<String> routes) {

		boolean answered() {
			return status == 200;
		}

	}

	/**
	 * INVITE {@code calleeDn} from {@code fromUri} (e.g. {@code sip:ab\u00ffcd@127.0.0.1}) with this Call-ID; on 200
	 * the ACK goes out at once. Returns the final status, or -1 when none came within {@link #ANSWER_TIMEOUT}.
	 */
	SipCall invite(String fromUri, String callId, String calleeDn, String tag) {
		return invite(fromUri, callId, calleeDn, tag, List.of(), null);
	}

	/**
	 * INVITE with these extra header lines ({@code "X-Call-Id: call-..."}); Kamailio's 407 is answered with
	 * {@code credentials} when they are given (else the 407 is the final status).
	 */
	SipCall invite(String fromUri, String callId, String calleeDn, String tag, List<String> extraHeaders,
			TestCredentials.@Nullable SipCredentials credentials) {
		return invite(fromUri, callId, calleeDn, "", tag, extraHeaders, credentials);
	}

	/** Like the above, with {@code uriParameters} (";xcid=...") after the request URI's host and port. */
	SipCall invite(String fromUri, String callId, String calleeDn, String uriParameters, String tag,
			List<String> extraHeaders, TestCredentials.@Nullable SipCredentials credentials) {
		String from = "<" + fromUri + ">;tag=hostile-" + tag;
		String requestUri = "sip:" + calleeDn + "@" + host() + uriParameters;
		String finalAnswer = request("INVITE", requestUri, from, "<sip:" + calleeDn + "@127.0.0.1>", callId,
				extraHeaders, credentials);
		if (finalAnswer == null) {
			return new SipCall(fromUri, tag, callId, -1, null, null, List.of());
		}
		int status = statusOf(finalAnswer);
		String to = header(finalAnswer, "To").get(0);
		if (status != 200) {
			// ACK of a non-2xx answer: same branch as the INVITE would need; Kamailio absorbs it either way.
			return new SipCall(fromUri, tag, callId, status, to, null, List.of());
		}
		List<String> routes = new ArrayList<>();
		for (String recordRoute : header(finalAnswer, "Record-Route")) {
			for (String entry : recordRoute.split(",")) {
				routes.add(0, entry.trim());
			}
		}
		List<String> contacts = header(finalAnswer, "Contact");
		String target = contacts.isEmpty() ? "sip:" + calleeDn + "@" + host()
				: contacts.get(0).replaceAll("^.*<", "").replaceAll(">.*$", "");
		SipCall call = new SipCall(fromUri, tag, callId, status, to, target, List.copyOf(routes));
		send(inDialog("ACK", call, cseqOf(finalAnswer)));
		return call;
	}

	/**
	 * Sends {@code method} and returns its final answer (null when none came): with {@code credentials}, a 401 or
	 * 407 challenge is answered once with the same request (CSeq 2, a new branch, the Authorization or
	 * Proxy-Authorization header), as a phone does.
	 */
	@Nullable String request(String method, String requestUri, String from, String to, String callId,
			List<String> extraHeaders, TestCredentials.@Nullable SipCredentials credentials) {
		String authorization = null;
		String answer = null;
		for (int cseq = 1; cseq <= 2; cseq++) {
			StringBuilder message = new StringBuilder(method + " " + requestUri + " SIP/2.0\r\n" + via()
					+ "Max-Forwards: 70\r\nFrom: " + from + "\r\nTo: " + to + "\r\nCall-ID: " + callId + "\r\nCSeq: "
					+ cseq + " " + method + "\r\nContact: <sip:raw@" + localIp + ":" + port() + ">\r\n");
			for (String header : extraHeaders) {
				message.append(header).append("\r\n");
			}
			if (authorization != null) {
				message.append(authorization).append("\r\n");
			}
			send(message.append("Content-Length: 0\r\n\r\n").toString());
			answer = awaitFinal(callId, method);
			int status = (answer != null) ? statusOf(answer) : -1;
			if (credentials == null || authorization != null || (status != 401 && status != 407)) {
				return answer;
			}
			String digest = SipDigest.answer(SipDigest.challengeIn(answer), method, requestUri, credentials);
			authorization = ((status == 401) ? "Authorization: " : "Proxy-Authorization: ") + digest;
		}
		return answer;
	}

	/**
	 * Sends {@code count} OPTIONS to {@code dn} at once, each its own transaction, without waiting for answers (a
	 * flood); {@link #responsesReceived()} counts what came back.
	 */
	void flood(String dn, int count) {
		for (int i = 0; i < count; i++) {
			String callId = "raw-flood-" + BRANCHES.incrementAndGet() + "@" + localIp;
			send("OPTIONS sip:" + dn + "@" + host() + " SIP/2.0\r\n" + via() + "Max-Forwards: 70\r\nFrom: <sip:" + dn
					+ "@127.0.0.1>;tag=flood" + i + "\r\nTo: <sip:" + dn + "@127.0.0.1>\r\nCall-ID: " + callId
					+ "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
		}
	}

	/** How many responses (of any request) have arrived here so far. */
	int responsesReceived() {
		return responsesReceived.get();
	}

	/** Every request Kamailio sent here (an INVITE to a registered raw agent, a BYE), as it arrived. */
	List<String> received() {
		synchronized (receivedRequests) {
			return List.copyOf(receivedRequests);
		}
	}

	/** BYE of an answered call; the final status, or -1 when none came. */
	int bye(SipCall call) {
		send(inDialog("BYE", call, 2));
		String answer = awaitFinal(call.callId(), "BYE");
		return (answer != null) ? statusOf(answer) : -1;
	}

	/**
	 * REGISTER of {@code aorUser} with contact {@code sip:CONTACT_USER@127.0.0.1:PORT}; the final status, or -1 when
	 * none came (dropped by the sanity checks).
	 */
	int register(String aorUser, String contactUser, String userAgent, int expires) {
		return register(aorUser, aorUser, contactUser, userAgent, expires, null);
	}

	/**
	 * REGISTER of To user {@code aorUser} with From user {@code fromUser}, answering Kamailio's 401 with
	 * {@code credentials} when they are given; the final status, or -1 when none came.
	 */
	int register(String aorUser, String fromUser, String contactUser, String userAgent, int expires,
			TestCredentials.@Nullable SipCredentials credentials) {
		String callId = "raw-reg-" + BRANCHES.incrementAndGet() + "@127.0.0.1";
		String contact = "*".equals(contactUser) ? "Contact: *"
				: "Contact: <sip:" + contactUser + "@" + localIp + ":" + port() + ">";
		String answer = request("REGISTER", "sip:" + host(), "<sip:" + fromUser + "@127.0.0.1>;tag=reg"
				+ BRANCHES.incrementAndGet(), "<sip:" + aorUser + "@127.0.0.1>", callId,
				List.of(contact, "Expires: " + expires, "User-Agent: " + userAgent), credentials);
		return (answer != null) ? statusOf(answer) : -1;
	}

	/** How many requests (a BYE from Kamailio, say) this agent has answered 200, by method. */
	long answered(String method) {
		synchronized (answeredRequests) {
			return answeredRequests.stream().filter(method::equals).count();
		}
	}

	@Override
	public void close() {
		open = false;
		socket.close();
		try {
			receiver.join(Duration.ofSeconds(2).toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private String inDialog(String method, SipCall call, int cseq) {
		StringBuilder message = new StringBuilder(method + " " + call.target() + " SIP/2.0\r\n" + via());
		for (String route : call.routes()) {
			message.append("Route: ").append(route).append("\r\n");
		}
		return message + "Max-Forwards: 70\r\n" + "From: <" + call.fromUri() + ">;tag=hostile-" + call.tag() + "\r\n"
				+ "To: " + call.toWithTag() + "\r\n" + "Call-ID: " + call.callId() + "\r\n" + "CSeq: " + cseq + " "
				+ method + "\r\n" + "Content-Length: 0\r\n\r\n";
	}

	private String via() {
		return "Via: SIP/2.0/UDP " + localIp + ":" + port() + ";branch=z9hG4bK-raw-" + BRANCHES.incrementAndGet()
				+ "\r\n";
	}

	private String host() {
		return kamailio.getHostString() + ":" + kamailio.getPort();
	}

	private void send(String message) {
		byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
		try {
			socket.send(new DatagramPacket(bytes, bytes.length, kamailio));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The first final answer (200-699) to {@code method} of {@code callId}; null after {@link #ANSWER_TIMEOUT}. */
	private String awaitFinal(String callId, String method) {
		Instant deadline = Instant.now().plus(ANSWER_TIMEOUT);
		while (Instant.now().isBefore(deadline)) {
			String response;
			try {
				response = responses.poll(Duration.between(Instant.now(), deadline).toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
			if (response != null && statusOf(response) >= 200 && callId.equals(first(response, "Call-ID"))
					&& first(response, "CSeq").toUpperCase(Locale.ROOT).endsWith(method)) {
				return response;
			}
		}
		return null;
	}

	private void receive() {
		byte[] buffer = new byte[65_535];
		Instant end = Instant.now().plus(MAX_LIFETIME);
		while (open && Instant.now().isBefore(end)) {
			DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
			try {
				socket.receive(packet);
			}
			catch (SocketTimeoutException ex) {
				continue;
			}
			catch (IOException ex) {
				return;
			}
			String message = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.ISO_8859_1);
			if (message.startsWith("SIP/2.0 ")) {
				responsesReceived.incrementAndGet();
				responses.add(message);
			}
			else if (!message.isBlank() && !message.startsWith("ACK ")) {
				receivedRequests.add(message);
				answer(message);
			}
		}
	}

	/**
	 * 200 to a request Kamailio sent here (an INVITE to this agent, the BYE of a hang-up), its Via, From, To, Call-ID
	 * and CSeq echoed; an INVITE's answer gets a To tag and a Contact, so the call becomes a dialog.
	 */
	private void answer(String request) {
		StringBuilder ok = new StringBuilder("SIP/2.0 200 OK\r\n");
		for (String name : List.of("Via", "From", "To", "Call-ID", "CSeq")) {
			for (String value : header(request, name)) {
				boolean untaggedTo = "To".equals(name) && !value.contains(";tag=");
				ok.append(name).append(": ").append(value)
					.append(untaggedTo ? ";tag=raw-" + BRANCHES.incrementAndGet() : "").append("\r\n");
			}
		}
		if (request.startsWith("INVITE ")) {
			ok.append("Contact: <sip:raw@").append(localIp).append(":").append(port()).append(">\r\n");
		}
		send(ok.append("Content-Length: 0\r\n\r\n").toString());
		answeredRequests.add(request.substring(0, request.indexOf(' ')));
	}

	private static int cseqOf(String response) {
		return Integer.parseInt(first(response, "CSeq").split(" ")[0].trim());
	}

	static int statusOf(String response) {
		return Integer.parseInt(response.substring(8, 11));
	}

	private static String first(String message, String name) {
		List<String> values = header(message, name);
		return values.isEmpty() ? "" : values.get(0);
	}

	/** Every value of a header, in order (compact forms not handled: Kamailio writes long names). */
	static List<String> header(String message, String name) {
		List<String> values = new ArrayList<>();
		String head = message.split("\r\n\r\n", 2)[0];
		for (String line : head.split("\r\n")) {
			int colon = line.indexOf(':');
			if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
				values.add(line.substring(colon + 1).trim());
			}
		}
		return values;
	}

}
