package org.signaling.api.hostile;

import java.util.List;

/**
 * The hostile SIP corpus: dialogs and registrations whose values a SIP sender chose badly or maliciously. Text cases
 * go out through SIPp ({@code hostile-uac.xml}, {@code hostile-register.xml}, values from an injection file); cases
 * with raw non-UTF-8 bytes through {@link RawSip} (Java strings here hold them as ISO-8859-1 characters: U+00FF is
 * the byte 0xFF).
 */
final class SipCorpus {

	/** The registered callee of every hostile call (a SIPp UAS). */
	static final String CALLEE = "5002";

	/** The caller of the normal call placed while the hostile ones live. */
	static final String CALLER = "5001";

	private SipCorpus() {
	}

	/**
	 * A hostile INVITE to {@link #CALLEE}.
	 * @param tag the From tag's suffix (hostile-TAG), by which the test finds the dialog in dlg.list
	 * @param fromUri the From URI
	 * @param to the To header value
	 * @param extraHeader one more header line
	 */
	record Dialog(String tag, String description, String fromUri, String to, String extraHeader, String callId) {

		Dialog {
			for (String field : List.of(fromUri, to, extraHeader)) {
				if (field.contains(";") || field.contains("\n") || field.contains("\r")) {
					throw new IllegalArgumentException("an injection field cannot hold ; CR or LF: " + description);
				}
			}
		}

		/** The line of SIPp's injection file for {@code hostile-uac.xml}. */
		String injectionLine() {
			return fromUri + ";" + to + ";" + extraHeader + ";" + tag + ";";
		}

	}

	/**
	 * A hostile REGISTER.
	 * @param aorUser the AoR's user part (empty for none)
	 * @param contactUser the Contact URI's user part
	 */
	record Registration(String tag, String description, String aorUser, String contactUser, String userAgent) {

		/** Whether this AoR is a DN the API may list. */
		boolean validDn() {
			return SipFieldRules.DN.matcher(aorUser).matches();
		}

		String aorUri() {
			return aorUser.isEmpty() ? "sip:127.0.0.1" : "sip:" + aorUser + "@127.0.0.1";
		}

		/** The line of SIPp's injection file for {@code hostile-register.xml}. */
		String injectionLine(int expires) {
			String line = aorUri() + ";sip:" + contactUser + "@127.0.0.1:9;" + userAgent + ";" + expires + ";";
			if (line.chars().filter((c) -> c == ';').count() != 4 || line.contains("\n") || line.contains("\r")) {
				throw new IllegalArgumentException("an injection field cannot hold ; CR or LF: " + description);
			}
			return line;
		}

	}

	static final String TO_CALLEE = "<sip:" + CALLEE + "@127.0.0.1>";

	/** Dialogs whose values are text: they go out through SIPp. */
	static List<Dialog> textDialogs() {
		return List.of(
				dialog("d01", "From user of 300 characters", "sip:" + "a".repeat(300) + "@127.0.0.1"),
				new Dialog("d02", "To user of 300 characters", "sip:5001@127.0.0.1", "<sip:" + "t".repeat(300) + "@127.0.0.1>",
						"X-Hostile-Case: d02", "hostile-d02@127.0.0.1"),
				dialog("d03", "From user with a double quote", "sip:a\"b@127.0.0.1"),
				dialog("d04", "From user with < and >", "sip:a<b>c@127.0.0.1"),
				dialog("d05", "From user with %00", "sip:a%00b@127.0.0.1"),
				dialog("d06", "From user with %0d%0a", "sip:a%0d%0ab@127.0.0.1"),
				dialog("d07", "From user in Unicode (e acute, right-to-left override)", "sip:ag\u00e9nt\u202e@127.0.0.1"),
				dialog("d08", "From user with a tab", "sip:a\tb@127.0.0.1"),
				new Dialog("d09", "Call-ID of 500 characters", "sip:5001@127.0.0.1", TO_CALLEE, "X-Hostile-Case: d09",
						"c".repeat(500)),
				new Dialog("d10", "Call-ID with \" \\ < > / { } [ ] ?", "sip:5001@127.0.0.1", TO_CALLEE,
						"X-Hostile-Case: d10", "q\"b\\c<d>/{}[]?@x"),
				dialog("d11", "From without a user (sip:127.0.0.1)", "sip:127.0.0.1"),
				dialog("d12", "From and To the same DN", "sip:" + CALLEE + "@127.0.0.1"),
				new Dialog("d13", "a 10 KB header", "sip:5001@127.0.0.1", TO_CALLEE, "X-Padding: " + "z".repeat(10240),
						"hostile-d13@127.0.0.1"),
				dialog("d14", "From user of 65 characters (longer than a DN)", "sip:" + "d".repeat(65) + "@127.0.0.1"),
				dialog("d15", "From user with ! and $", "sip:a!b$c@127.0.0.1"),
				new Dialog("d16", "To display name with < >", "sip:5001@127.0.0.1", "\"x<y>\" " + TO_CALLEE,
						"X-Hostile-Case: d16", "hostile-d16@127.0.0.1"),
				dialog("d17", "From user percent-encoded Unicode", "sip:%C3%A9%E2%80%AE@127.0.0.1"),
				new Dialog("d18", "Call-ID in Unicode", "sip:5001@127.0.0.1", TO_CALLEE, "X-Hostile-Case: d18",
						"\u00e9t\u00e9-\u65e5\u672c@x"),
				new Dialog("d19", "Call-ID of 129 characters", "sip:5001@127.0.0.1", TO_CALLEE, "X-Hostile-Case: d19",
						"k".repeat(129)),
				new Dialog("d20", "Call-ID with a percent sign (within the call id grammar)", "sip:5001@127.0.0.1",
						TO_CALLEE, "X-Hostile-Case: d20", "pct%41x@127.0.0.1"));
	}

	/** Dialogs with raw bytes that are not UTF-8: they go out from Java. */
	static List<Dialog> rawDialogs() {
		return List.of(
				new Dialog("r01", "From user with a raw 0xFF byte", "sip:ab\u00ffcd@127.0.0.1", TO_CALLEE, "",
						"hostile-r01@127.0.0.1"),
				new Dialog("r02", "Call-ID with a lone 0xC3 byte", "sip:5001@127.0.0.1", TO_CALLEE, "",
						"raw\u00c3@127.0.0.1"),
				new Dialog("r03", "From user with a lone 0xC3, Call-ID with 0xFF 0xFE", "sip:agent\u00c3@127.0.0.1",
						TO_CALLEE, "", "r\u00ff\u00fe@127.0.0.1"),
				new Dialog("r04", "Call-ID with a raw 0x01 control byte", "sip:5001@127.0.0.1", TO_CALLEE, "",
						"ctl\u0001@127.0.0.1"),
				new Dialog("r05", "From user with a raw 0x7F (DEL) byte", "sip:a\u007fb@127.0.0.1", TO_CALLEE, "",
						"hostile-r05@127.0.0.1"));
	}

	/** Registrations whose values are text: they go out through SIPp. */
	static List<Registration> textRegistrations() {
		return List.of(
				new Registration("g01", "AoR user of 300 characters", "u".repeat(300), "u".repeat(300), "hostile"),
				new Registration("g02", "AoR user of 65 characters", "a".repeat(65), "a".repeat(65), "hostile"),
				new Registration("g03", "AoR user with ! and $", "a!b$c", "abc", "hostile"),
				new Registration("g04", "AoR user in Unicode", "ag\u00e9nt", "agent", "hostile"),
				new Registration("g05", "AoR user with %00", "r%00x", "rx", "hostile"),
				new Registration("g06", "AoR user with a double quote", "x\"y", "xy", "hostile"),
				new Registration("g07", "AoR without a user", "", "nobody", "hostile"),
				new Registration("g08", "AoR user with a tab", "a\tb", "ab", "hostile"),
				new Registration("g09", "User-Agent with control characters", "5003", "5003", "UA \u0001\u007f\u001b[2J ctl"),
				new Registration("g10", "User-Agent of 10 KB", "5004", "5004", "U".repeat(10240)),
				new Registration("g11", "User-Agent with quotes, backslash, < >", "5005", "5005", "q\"uote\\back <x>"),
				new Registration("g12", "Contact user of 300 characters", "5006", "c".repeat(300), "hostile"),
				new Registration("g13", "User-Agent of 300 characters", "5007", "5007", "V".repeat(300)));
	}

	/** Registrations with raw bytes that are not UTF-8: they go out from Java. */
	static List<Registration> rawRegistrations() {
		return List.of(new Registration("gr1", "AoR user with a raw 0xFF byte", "ab\u00ffcd", "abcd", "hostile"),
				new Registration("gr2", "AoR user with a lone 0xC3 byte", "agent\u00c3", "agent", "hostile"),
				new Registration("gr3", "User-Agent with raw 0xFF 0xC3 bytes", "5008", "5008", "UA \u00ff\u00c3 raw"),
				new Registration("gr4", "Contact user with a raw 0xFF byte", "5009", "c\u00ffd", "hostile"));
	}

	private static Dialog dialog(String tag, String description, String fromUri) {
		return new Dialog(tag, description, fromUri, TO_CALLEE, "X-Hostile-Case: " + tag, "hostile-" + tag + "@127.0.0.1");
	}

}
