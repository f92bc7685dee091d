package org.signaling.api.kamailio.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.signaling.api.call.CallIds;
import org.signaling.api.dn.DnSyntax;

/**
 * Values Kamailio reports were written by whoever sent the SIP message: a From user, a Call-ID, a URI or a
 * User-Agent can be 10 KB long, hold control characters or bytes that are not UTF-8. They are bounded and sanitized
 * here, once, as the view is read, so that nothing downstream (listings, call history columns, events, webhooks, log
 * lines) ever sees the raw value. Each rule keeps a harmless value as it is.
 */
final class SipValues {

	/** URIs and other header text, in the API and in the history columns (512 characters there). */
	static final int MAX_TEXT = 256;

	/** Whatever a Call-ID is turned into keeps at most this many of its own characters before the digest. */
	private static final int KEPT_CALL_ID_PREFIX = 96;

	private static final String TRUNCATED = "...";

	private SipValues() {
	}

	/**
	 * The id a call only Kamailio carries is listed by: its Call-ID when that is already a value clients can send
	 * back (the API's call id grammar, 128 characters at most, and no '%': Spring Security's firewall refuses an
	 * encoded percent in {@code GET /api/calls/{id}}); otherwise the Call-ID's allowed characters, cut short, and a
	 * digest of the whole, so that two hostile Call-IDs never become one id.
	 */
	static String callId(String raw) {
		if (CallIds.isValid(raw) && raw.indexOf('%') < 0) {
			return raw;
		}
		StringBuilder kept = new StringBuilder(KEPT_CALL_ID_PREFIX + 18);
		for (int i = 0; i < raw.length() && kept.length() < KEPT_CALL_ID_PREFIX; i++) {
			char c = raw.charAt(i);
			if (c != '%' && CallIds.isValid(String.valueOf(c))) {
				kept.append(c);
			}
		}
		return kept.append('~').append(digest(raw)).toString();
	}

	/** A URI or other ASCII protocol text: printable ASCII only (anything else becomes '?'), 256 characters at most. */
	static String uri(String raw) {
		return bounded(raw, true);
	}

	/** Free text such as a User-Agent: no control characters, 256 characters at most. */
	static String text(String raw) {
		return bounded(raw, false);
	}

	/** A SIP user part as a DN: itself when it is one, "" otherwise (a number longer than a DN, a hostile string). */
	static String dn(String user) {
		return DnSyntax.isValid(user) ? user : "";
	}

	private static String bounded(String raw, boolean asciiOnly) {
		if (raw.length() <= MAX_TEXT && isClean(raw, asciiOnly)) {
			return raw;
		}
		int limit = (raw.length() > MAX_TEXT) ? MAX_TEXT - TRUNCATED.length() : raw.length();
		StringBuilder safe = new StringBuilder(MAX_TEXT);
		int i = 0;
		while (i < raw.length() && safe.length() < limit) {
			int codePoint = raw.codePointAt(i);
			int width = Character.charCount(codePoint);
			if (safe.length() + width > limit) {
				break;
			}
			safe.appendCodePoint(isAllowed(codePoint, asciiOnly) ? codePoint : '?');
			i += width;
		}
		if (i < raw.length()) {
			safe.append(TRUNCATED);
		}
		return safe.toString();
	}

	private static boolean isClean(String raw, boolean asciiOnly) {
		for (int i = 0; i < raw.length();) {
			int codePoint = raw.codePointAt(i);
			if (!isAllowed(codePoint, asciiOnly)) {
				return false;
			}
			i += Character.charCount(codePoint);
		}
		return true;
	}

	private static boolean isAllowed(int codePoint, boolean asciiOnly) {
		if (asciiOnly) {
			return codePoint > 0x20 && codePoint < 0x7f;
		}
		// No C0, DEL or C1 controls, no line or paragraph separators, no unpaired surrogate (codePointAt returns it
		// alone; JSON writers refuse it), and not what a byte that was not UTF-8 was decoded to.
		return codePoint >= 0x20 && !(codePoint >= 0x7f && codePoint <= 0x9f) && codePoint != 0x2028
				&& codePoint != 0x2029 && codePoint != 0xfffd
				&& !(codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE);
	}

	private static String digest(String raw) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(hash, 0, 8);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
