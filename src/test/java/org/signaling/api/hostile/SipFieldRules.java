package org.signaling.api.hostile;

import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * What a client may rely on for every string the API shows that came from a SIP sender (issue 10): bounded and
 * sanitized, whatever Kamailio reported. A call id a client can name in a hang-up; URIs and contacts of printable
 * ASCII; a User-Agent without control characters; DNs that are DNs.
 */
final class SipFieldRules {

	/** What {@code POST /api/call/hangup} takes: a Kamailio-only call's id must be one of these. */
	static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9@._:+~!%*'()-]{1,128}");

	static final Pattern DN = Pattern.compile("[A-Za-z0-9+*#._-]{1,64}");

	/** At most 256 characters of printable ASCII (0x21-0x7E). */
	static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7E]{0,256}");

	/** No C0 or C1 control character, no DEL. */
	private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1F\\x7F-\\x9F]");

	private static final int MAX_USER_AGENT = 256;

	private SipFieldRules() {
	}

	/**
	 * One call as {@code /api/calls/active}, {@code /api/calls/dn/{dn}}, {@code /api/calls/{id}},
	 * {@code /api/calls/history} or an event's data shows it: whichever of the fields are there.
	 */
	static void checkCall(JsonNode call, String where, Violations violations) {
		JsonNode callId = call.path("call_id");
		if (!callId.isMissingNode()) {
			violations.check(callId.isString() && CALL_ID.matcher(callId.asString()).matches(),
					"%s: call_id %s is not 1-128 of [A-Za-z0-9@._:+~!%%*'()-]", where, shown(callId));
		}
		for (String field : new String[] { "from", "to" }) {
			JsonNode value = call.path(field);
			if (!value.isMissingNode()) {
				violations.check(value.isString() && PRINTABLE.matcher(value.asString()).matches(),
						"%s: %s %s is not at most 256 printable ASCII characters", where, field, shown(value));
			}
		}
		JsonNode fromDn = call.path("from_dn");
		if (!fromDn.isMissingNode()) {
			violations.check(fromDn.isString()
					&& (fromDn.asString().isEmpty() || DN.matcher(fromDn.asString()).matches()),
					"%s: from_dn %s is neither \"\" nor a DN", where, shown(fromDn));
		}
		for (JsonNode dn : call.path("dns")) {
			violations.check(dn.isString() && DN.matcher(dn.asString()).matches(), "%s: dns entry %s is not a DN",
					where,
					shown(dn));
		}
		JsonNode sipCallId = call.path("sip_call_id");
		if (sipCallId.isString()) {
			violations.check(PRINTABLE.matcher(sipCallId.asString()).matches(),
					"%s: sip_call_id %s is not at most 256 printable ASCII characters", where, shown(sipCallId));
		}
		for (JsonNode legCallId : call.path("sip_call_ids")) {
			violations.check(legCallId.isString() && PRINTABLE.matcher(legCallId.asString()).matches(),
					"%s: sip_call_ids entry %s is not at most 256 printable ASCII characters", where, shown(legCallId));
		}
	}

	/** {@code GET /api/dn/list}: every entry a DN with a printable SIP URI. */
	static void checkDnList(JsonNode list, String where, Violations violations) {
		for (JsonNode entry : list.path("dns")) {
			violations.check(DN.matcher(entry.path("dn").asString("")).matches(), "%s: listed dn %s is not a DN", where,
					shown(entry.path("dn")));
			checkPrintable(entry.path("sip_uri"), where + " sip_uri", violations);
		}
	}

	/** {@code GET /api/dn/{dn}}: its SIP URI and every contact's address, User-Agent and received address. */
	static void checkDn(JsonNode dn, String where, Violations violations) {
		checkPrintable(dn.path("sip_uri"), where + " sip_uri", violations);
		for (JsonNode contact : dn.path("contacts")) {
			checkPrintable(contact.path("contact"), where + " contact", violations);
			if (!contact.path("received").isNull() && !contact.path("received").isMissingNode()) {
				checkPrintable(contact.path("received"), where + " received", violations);
			}
			JsonNode userAgent = contact.path("user_agent");
			if (!userAgent.isNull() && !userAgent.isMissingNode()) {
				violations.check(
						userAgent.isString() && userAgent.asString().length() <= MAX_USER_AGENT
								&& !CONTROL.matcher(userAgent.asString()).find(),
						"%s: user_agent %s is longer than 256 characters or holds a control character", where,
						shown(userAgent));
			}
		}
	}

	private static void checkPrintable(JsonNode value, String where, Violations violations) {
		violations.check(value.isString() && PRINTABLE.matcher(value.asString()).matches(),
				"%s %s is not at most 256 printable ASCII characters", where, shown(value));
	}

	private static String shown(JsonNode value) {
		return value.isString() ? "\"" + Violations.shown(value.asString()) + "\"" : String.valueOf(value);
	}

}
