package org.signaling.api.shared;

import java.util.regex.Pattern;

/**
 * The grammar of what callers dial with, and the one home of these rules: a DN (an agent's extension), a number, a
 * destination (what a call may be placed to: a number or a DN, at most {@value #DESTINATION_MAX_LENGTH} characters)
 * and a caller ID. Controllers, adapters, configuration properties ({@link #DN_REGEX} in {@code @Pattern}) and the
 * published contract (the {@code *_RULE} texts) all check with these, so nothing outside them reaches Kamailio,
 * Asterisk or a log line: no CR, LF, space, quote or {@code @}.
 */
public final class Grammar {

	/** A DN: letters, digits and {@code + * # . _ -}, 1 to 64 of them. */
	public static final String DN_REGEX = "[A-Za-z0-9+*#._-]{1,64}";

	public static final String DN_RULE = "1-64 characters of A-Z a-z 0-9 + * # . _ -";

	public static final int DESTINATION_MAX_LENGTH = 32;

	/** A number: digits, {@code *} and {@code #}, with an optional leading {@code +}. */
	public static final String NUMBER_REGEX = "\\+?[0-9*#]{1," + DESTINATION_MAX_LENGTH + "}";

	public static final String DESTINATION_RULE = "a number (digits with an optional leading +, * and #) or a DN, 1-"
			+ DESTINATION_MAX_LENGTH + " characters";

	/** A caller ID: digits with an optional leading {@code +}, 1 to 32 of them. */
	public static final String CALLER_ID_REGEX = "\\+?[0-9]{1,32}";

	public static final String CALLER_ID_RULE = "digits with an optional leading +, 1-32";

	/**
	 * The Genesys SIP Server's id of an interaction ({@code X-Genesys-CallUUID}, 32 letters and digits in practice):
	 * letters, digits, {@code -} and {@code _}, 1 to 64. kamailio.cfg keeps only such a value, and so does the service.
	 */
	public static final String GENESYS_CALL_UUID_REGEX = "[A-Za-z0-9_-]{1,64}";

	public static final String GENESYS_CALL_UUID_RULE = "1-64 characters of A-Z a-z 0-9 - _";

	private static final Pattern DN = Pattern.compile(DN_REGEX);

	private static final Pattern GENESYS_CALL_UUID = Pattern.compile(GENESYS_CALL_UUID_REGEX);

	private static final Pattern NUMBER = Pattern.compile(NUMBER_REGEX);

	private static final Pattern CALLER_ID = Pattern.compile(CALLER_ID_REGEX);

	private Grammar() {
	}

	public static boolean isDn(String candidate) {
		return DN.matcher(candidate).matches();
	}

	public static boolean isNumber(String candidate) {
		return NUMBER.matcher(candidate).matches();
	}

	/** A number or a DN, 1 to {@value #DESTINATION_MAX_LENGTH} characters either way. */
	public static boolean isDestination(String candidate) {
		return !candidate.isEmpty() && candidate.length() <= DESTINATION_MAX_LENGTH
				&& (isNumber(candidate) || isDn(candidate));
	}

	public static boolean isGenesysCallUuid(String candidate) {
		return GENESYS_CALL_UUID.matcher(candidate).matches();
	}

	public static boolean isCallerId(String candidate) {
		return CALLER_ID.matcher(candidate).matches();
	}

}
