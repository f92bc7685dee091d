package org.signaling.api.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The answer to Kamailio's digest challenge (RFC 2617 MD5, {@code qop=auth}), for the tests' own SIP clients that are
 * not SIPp (which has {@code -au/-ap}) or a browser (JsSIP): the WebSocket agent and the raw hostile sender.
 */
public final class SipDigest {

	private static final Pattern PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");

	private SipDigest() {
	}

	/**
	 * The value of the {@code Authorization} (401) or {@code Proxy-Authorization} (407) header answering
	 * {@code challenge}, the value of the {@code WWW-Authenticate} or {@code Proxy-Authenticate} header.
	 */
	public static String answer(String challenge, String method, String uri,
			TestCredentials.SipCredentials credentials) {
		String realm = parameter(challenge, "realm");
		String nonce = parameter(challenge, "nonce");
		String cnonce = "0a4f113b";
		String nc = "00000001";
		String ha1 = md5(credentials.username() + ":" + realm + ":" + credentials.password());
		String ha2 = md5(method + ":" + uri);
		String response = md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
		return "Digest username=\"" + credentials.username() + "\", realm=\"" + realm + "\", nonce=\"" + nonce
				+ "\", uri=\"" + uri + "\", qop=auth, nc=" + nc + ", cnonce=\"" + cnonce + "\", response=\"" + response
				+ "\", algorithm=MD5";
	}

	/** The challenge header's value in a SIP response (401 or 407), or null. */
	public static String challengeIn(String response) {
		for (String line : response.split("\r\n")) {
			String lower = line.toLowerCase(Locale.ROOT);
			if (lower.startsWith("www-authenticate:") || lower.startsWith("proxy-authenticate:")) {
				return line.substring(line.indexOf(':') + 1).trim();
			}
		}
		return null;
	}

	private static String parameter(String challenge, String name) {
		Matcher matcher = PARAMETER.matcher(challenge);
		while (matcher.find()) {
			if (matcher.group(1).equalsIgnoreCase(name)) {
				return matcher.group(2);
			}
		}
		throw new IllegalArgumentException("no " + name + " in the challenge " + challenge);
	}

	private static String md5(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
