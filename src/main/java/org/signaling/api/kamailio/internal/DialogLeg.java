package org.signaling.api.kamailio.internal;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.signaling.api.call.LegRelease;
import tools.jackson.databind.JsonNode;

/**
 * One party of a confirmed dialog, as a BYE of our own to that party needs it: what Kamailio's dialog module would
 * put in its own BYE (measured: the BYE to the callee has the caller's tag in From, the callee's in To, and the caller
 * leg's CSeq plus one; the BYE to the caller the other way round), taken from {@code dlg.dlg_list}.
 *
 * <p>Every one of these values was written by a SIP sender (a Contact, a tag, a Record-Route), and they become the
 * headers of a request Kamailio sends: each must match a strict grammar (no CR, LF, space, quote or angle bracket in
 * a URI; a tag of token characters; a CSeq of digits), or the leg is not retried at all ({@link #of} is empty). A
 * WebSocket contact carries {@code ;alias=ip~port~proto} (kamailio.cfg's {@code set_contact_alias()}): the BYE is sent
 * over that connection, as {@code handle_ruri_alias()} does for in-dialog requests.
 *
 * @param party {@link LegRelease#CALLER} or {@link LegRelease#CALLEE}
 * @param callId the dialog's Call-ID
 * @param hId the dialog's h_id (which node owns it)
 * @param tag the party's own tag: its answer is recorded under {@code <Call-ID>::<tag>}
 * @param requestUri the party's contact, without an alias
 * @param nextHop where to send it ("." for the Request-URI itself): the alias's address, else the first route
 * @param socket Kamailio's socket toward the party ("." for any)
 * @param headers From, To, Call-ID and Route (when there is a route set), each ending CRLF; CSeq is added per BYE
 * @param lastCseq the CSeq this party last saw from the other side (each BYE of ours is higher)
 * @param retryUntil the dialog's own timeout: a party not released by then is given up on
 */
record DialogLeg(String party, String callId, long hId, String tag, String requestUri, String nextHop,
		String socket, String headers, long lastCseq, Instant retryUntil) {

	private static final int MAX_URI = 512;

	/** A SIP or SIPS URI with nothing that could end a header or a name-addr. */
	private static final Pattern URI = Pattern.compile("sips?:[\\x21-\\x7e&&[^<>\"\\\\,]]{1," + MAX_URI + "}");

	/** RFC 3261 token characters. */
	private static final Pattern TAG = Pattern.compile("[A-Za-z0-9.!%*_+`'~-]{1,128}");

	/** A Call-ID: RFC 3261 word characters, no space. */
	private static final Pattern CALL_ID = Pattern.compile("[\\x21-\\x7e&&[^<>\"\\\\]]{1,256}");

	/** A CSeq number as dlg.dlg_list lists it (not "1 INVITE"); below 10^9, so ours plus retries stay in range. */
	private static final Pattern CSEQ = Pattern.compile("[0-9]{1,9}");

	/** A route set as the dialog module lists it: name-addrs separated by commas. */
	private static final Pattern ROUTE = Pattern.compile("<(sips?:[\\x21-\\x7e&&[^<>\"\\\\,]]{1," + MAX_URI + "})>");

	private static final Pattern ROUTE_SEPARATOR = Pattern.compile(",\\s*");

	private static final Pattern SOCKET = Pattern
		.compile("(udp|tcp|tls|sctp|ws|wss):[0-9A-Fa-f.:\\[\\]]{2,47}:[0-9]{1,5}");

	/** kamailio.cfg's set_contact_alias(): ;alias=<address>~<port>~<1 udp, 2 tcp, 3 tls, 4 sctp, 5 ws, 6 wss>. */
	private static final Pattern ALIAS = Pattern.compile(";alias=([0-9A-Fa-f.:\\[\\]]{2,47})~([0-9]{1,5})~([1-6])");

	private static final String[] ALIAS_TRANSPORTS = { "", "udp", "tcp", "tls", "sctp", "ws", "wss" };

	private static final int MAX_ROUTES = 8;

	/**
	 * The party's leg of a {@code dlg.dlg_list} entry, or empty when a value fails its grammar (a hostile or broken
	 * Contact, tag or route set: nothing is sent from it).
	 */
	static Optional<DialogLeg> of(JsonNode dialog, String party, Instant retryUntil) {
		boolean toCaller = LegRelease.CALLER.equals(party);
		JsonNode leg = dialog.path(toCaller ? "caller" : "callee");
		JsonNode otherLeg = dialog.path(toCaller ? "callee" : "caller");
		String callId = dialog.path("call-id").asString("");
		String tag = leg.path("tag").asString("");
		String otherTag = otherLeg.path("tag").asString("");
		String contact = leg.path("contact").asString("");
		String partyUri = dialog.path(toCaller ? "from_uri" : "to_uri").asString("");
		String otherUri = dialog.path(toCaller ? "to_uri" : "from_uri").asString("");
		// The dialog module keeps, per leg, the CSeq of the requests sent toward that leg's party: its BYE adds one.
		String cseq = otherLeg.path("cseq").asString("");
		if (!CALL_ID.matcher(callId).matches() || !TAG.matcher(tag).matches() || !TAG.matcher(otherTag).matches()
				|| !URI.matcher(contact).matches() || !URI.matcher(partyUri).matches()
				|| !URI.matcher(otherUri).matches() || !isCseq(cseq)
				|| !dialog.path("h_id").isIntegralNumber()) {
			return Optional.empty();
		}
		@Nullable String routeHeader = routeHeader(leg.path("route_set").asString(""));
		if (routeHeader == null) {
			return Optional.empty();
		}
		String requestUri = contact;
		String nextHop = ".";
		Matcher alias = ALIAS.matcher(contact);
		if (alias.find()) {
			requestUri = contact.substring(0, alias.start()) + contact.substring(alias.end());
			nextHop = "sip:" + alias.group(1) + ":" + alias.group(2) + ";transport="
					+ ALIAS_TRANSPORTS[Integer.parseInt(alias.group(3))];
		}
		else if (!routeHeader.isEmpty()) {
			Matcher first = ROUTE.matcher(routeHeader);
			nextHop = first.find() ? first.group(1) : ".";
		}
		String socket = leg.path("socket").asString("");
		String headers = "From: <" + otherUri + ">;tag=" + otherTag + "\r\n" + "To: <" + partyUri + ">;tag=" + tag
				+ "\r\n" + "Call-ID: " + callId + "\r\n" + routeHeader;
		return Optional.of(new DialogLeg(party, callId, dialog.path("h_id").asLong(), tag, requestUri, nextHop,
				SOCKET.matcher(socket).matches() ? socket : ".", headers, Long.parseLong(cseq), retryUntil));
	}

	/** The one grammar of a CSeq number Kamailio lists, for the cancel of a ringing call too. */
	static boolean isCseq(String candidate) {
		return CSEQ.matcher(candidate).matches();
	}

	/** The headers of the BYE with this CSeq number. */
	String byeHeaders(long cseq) {
		return headers + "CSeq: " + cseq + " BYE\r\n";
	}

	/** "Route: ...\r\n", "" without a route set, null when the route set is not a list of SIP name-addrs. */
	private static @Nullable String routeHeader(String routeSet) {
		if (routeSet.isEmpty()) {
			return "";
		}
		String[] routes = ROUTE_SEPARATOR.split(routeSet.strip());
		if (routes.length > MAX_ROUTES) {
			return null;
		}
		for (String route : routes) {
			if (!ROUTE.matcher(route).matches()) {
				return null;
			}
		}
		return "Route: " + String.join(", ", routes) + "\r\n";
	}

}
