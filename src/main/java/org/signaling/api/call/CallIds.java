package org.signaling.api.call;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Call ids. The API gives each call it places an id of its own ({@code call-} and 32 hex digits), used as Asterisk
 * Uniqueid (ChannelId), channel variable and SIP header, so one id follows the call from request to BYE. Calls that
 * only Kamailio carries are known by their SIP Call-ID. A call id a client sends is checked against
 * {@link #isValid(String)} before it is used anywhere.
 */
public final class CallIds {

	/** Ours: "call-" and 32 lowercase hex digits. */
	private static final Pattern OURS = Pattern.compile("call-[0-9a-f]{32}");

	/**
	 * Anything a client may name: our ids and SIP Call-IDs (RFC 3261 {@code word ["@" word]}), without the characters
	 * that could break a header, a log line, a URL path or an Asterisk argument (no quotes, backslash, slash, comma,
	 * braces, angle brackets, spaces, CR, LF).
	 */
	private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9@._:+~!%*'()-]{1,128}");

	private static final SecureRandom RANDOM = new SecureRandom();

	/** A monitor's id prefix. */
	public static final String MONITOR_PREFIX = "mon-";

	private static final Pattern CONTROL = Pattern.compile("(tr|mon|rec)-[0-9a-f]{32}");

	private CallIds() {
	}

	public static String newCallId() {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return "call-" + HexFormat.of().formatHex(bytes);
	}

	/** Whether an id is one this API generated (and so may reach Asterisk). */
	public static boolean isOurs(String callId) {
		return OURS.matcher(callId).matches();
	}

	/** Whether a client-sent id is worth looking up. */
	public static boolean isValid(String callId) {
		return ACCEPTED.matcher(callId).matches();
	}

	/**
	 * A new id of a call's transfer ({@code tr-}), monitor ({@code mon-}) or recording ({@code rec-}): the prefix and
	 * 32 hex digits. A monitor's id is also its supervisor leg's Asterisk Uniqueid.
	 */
	public static String newControlId(String prefix) {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return prefix + HexFormat.of().formatHex(bytes);
	}

	/** Whether an id is one {@link #newControlId} made with a known prefix. */
	public static boolean isControlId(String id) {
		return CONTROL.matcher(id).matches();
	}

	/** Whether an Asterisk Uniqueid is a monitor's supervisor leg ({@link #newControlId} "mon-"). */
	public static boolean isMonitorId(String id) {
		return id.startsWith(MONITOR_PREFIX) && CONTROL.matcher(id).matches();
	}

}
