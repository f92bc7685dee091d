package org.signaling.api.hostile;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.signaling.api.testsupport.TestCredentials;

/**
 * The hostile SIP corpus: dialogs and registrations whose values a SIP sender chose badly or maliciously. Text cases
 * go out through SIPp ({@code hostile-uac.xml}, {@code hostile-register.xml}, values from an injection file, UTF-8);
 * cases with raw non-UTF-8 bytes through {@link RawSip} (Java strings here hold them as ISO-8859-1 characters: U+00FF
 * is the byte 0xFF).
 *
 * <p>
 * Who sends them, now that Kamailio authenticates agents: the INVITEs come from a trusted peer's address, as a Genesys
 * SIP Server or an SBC relays whatever a caller on the PSTN wrote (the realistic path of a hostile From user, Call-ID
 * or display name), and again from an agent's address without credentials, where every one must be refused. The
 * REGISTERs come from an agent's address with credentials for their AoR user ({@link Registration#credentials()}),
 * as every REGISTER must.
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
	 * @param wire how its values become bytes: UTF-8 through SIPp, ISO-8859-1 (one char a byte) through
	 * {@link RawSip}
	 */
	record Registration(String tag, String description, String aorUser, String contactUser, String userAgent,
			Charset wire) {

		/** Whether this AoR is a DN the API may list. */
		boolean validDn() {
			return SipFieldRules.DN.matcher(aorUser).matches();
		}

		/**
		 * Whether SIP credentials can name this AoR user: without them Kamailio registers nothing (401 until they
		 * come, 403 when they are another user's). The test holds credentials for any text the AoR user is, computed
		 * as the service computes them ({@link #credentials()}), which is more than anyone gets from the service
		 * (POST /api/agent/sip-credentials issues them for DNs only): the worst case, so that hostile AoR users
		 * still reach Kamailio's location table and the service. auth_ephemeral takes what follows the username's
		 * first ':' as the user, and compares it byte for byte with the From and To URI users. Two kinds of user
		 * cannot be named, whatever the credentials:
		 * <ul>
		 * <li>none: {@code "<expiry>:"} is no username auth_ephemeral takes (it reads no timestamp from it), 401;</li>
		 * <li>bytes that are not UTF-8: a username is text, its HMAC taken over its UTF-8 bytes, and no text is
		 * these bytes; the credentials for the nearest text are computed over other bytes than the wire's, 401.</li>
		 * </ul>
		 * Every other user can be named, a DN or not; Kamailio's registrar still has the last word on those (it
		 * stores no AoR user over 64 characters, none whose escapes do not decode).
		 */
		boolean credentialsCanName() {
			byte[] user = aorUser.getBytes(wire);
			return user.length > 0 && isUtf8(user);
		}

		/** Credentials for the AoR user, computed as the service computes them for a DN (valid an hour). */
		TestCredentials.SipCredentials credentials() {
			return TestCredentials.sipCredentials(aorUser);
		}

		String aorUri() {
			return aorUser.isEmpty() ? "sip:127.0.0.1" : "sip:" + aorUser + "@127.0.0.1";
		}

		/** The line of SIPp's injection file for {@code hostile-register.xml}, with these credentials. */
		String injectionLine(int expires, TestCredentials.SipCredentials credentials) {
			String line = aorUri() + ";sip:" + contactUser + "@127.0.0.1:9;" + userAgent + ";" + expires + ";"
					+ credentials.username() + ";" + credentials.password() + ";";
			if (line.chars().filter((c) -> c == ';').count() != 6 || line.contains("\n") || line.contains("\r")) {
				throw new IllegalArgumentException("an injection field cannot hold ; CR or LF: " + description);
			}
			return line;
		}

		private static boolean isUtf8(byte[] bytes) {
			try {
				StandardCharsets.UTF_8.newDecoder()
					.onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT)
					.decode(ByteBuffer.wrap(bytes));
				return true;
			}
			catch (CharacterCodingException ex) {
				return false;
			}
		}

	}

	static final String TO_CALLEE = "<sip:" + CALLEE + "@127.0.0.1>";

	/** Dialogs whose values are text: they go out through SIPp. */
	static List<Dialog> textDialogs() {
		return List.of(
				dialog("d01", "From user of 300 characters", "sip:" + "a".repeat(300) + "@127.0.0.1"),
				new Dialog("d02", "To user of 300 characters", "sip:5001@127.0.0.1",
						"<sip:" + "t".repeat(300) + "@127.0.0.1>",
						"X-Hostile-Case: d02", "hostile-d02@127.0.0.1"),
				dialog("d03", "From user with a double quote", "sip:a\"b@127.0.0.1"),
				dialog("d04", "From user with < and >", "sip:a<b>c@127.0.0.1"),
				dialog("d05", "From user with %00", "sip:a%00b@127.0.0.1"),
				dialog("d06", "From user with %0d%0a", "sip:a%0d%0ab@127.0.0.1"),
				dialog("d07", "From user in Unicode (e acute, right-to-left override)",
						"sip:ag\u00e9nt\u202e@127.0.0.1"),
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
				text("g01", "AoR user of 300 characters", "u".repeat(300), "u".repeat(300), "hostile"),
				text("g02", "AoR user of 65 characters", "a".repeat(65), "a".repeat(65), "hostile"),
				text("g03", "AoR user with ! and $", "a!b$c", "abc", "hostile"),
				text("g04", "AoR user in Unicode", "ag\u00e9nt", "agent", "hostile"),
				text("g05", "AoR user with %00", "r%00x", "rx", "hostile"),
				text("g06", "AoR user with a double quote", "x\"y", "xy", "hostile"),
				text("g07", "AoR without a user", "", "nobody", "hostile"),
				text("g08", "AoR user with a tab", "a\tb", "ab", "hostile"),
				text("g09", "User-Agent with control characters", "5003", "5003", "UA \u0001\u007f\u001b[2J ctl"),
				text("g10", "User-Agent of 10 KB", "5004", "5004", "U".repeat(10240)),
				text("g11", "User-Agent with quotes, backslash, < >", "5005", "5005", "q\"uote\\back <x>"),
				text("g12", "Contact user of 300 characters", "5006", "c".repeat(300), "hostile"),
				text("g13", "User-Agent of 300 characters", "5007", "5007", "V".repeat(300)));
	}

	/** Registrations with raw bytes that are not UTF-8: they go out from Java. */
	static List<Registration> rawRegistrations() {
		return List.of(raw("gr1", "AoR user with a raw 0xFF byte", "ab\u00ffcd", "abcd", "hostile"),
				raw("gr2", "AoR user with a lone 0xC3 byte", "agent\u00c3", "agent", "hostile"),
				raw("gr3", "User-Agent with raw 0xFF 0xC3 bytes", "5008", "5008", "UA \u00ff\u00c3 raw"),
				raw("gr4", "Contact user with a raw 0xFF byte", "5009", "c\u00ffd", "hostile"));
	}

	private static Registration text(String tag, String description, String aorUser, String contactUser,
			String userAgent) {
		return new Registration(tag, description, aorUser, contactUser, userAgent, StandardCharsets.UTF_8);
	}

	private static Registration raw(String tag, String description, String aorUser, String contactUser,
			String userAgent) {
		return new Registration(tag, description, aorUser, contactUser, userAgent, StandardCharsets.ISO_8859_1);
	}

	private static Dialog dialog(String tag, String description, String fromUri) {
		return new Dialog(tag, description, fromUri, TO_CALLEE, "X-Hostile-Case: " + tag,
				"hostile-" + tag + "@127.0.0.1");
	}

}
