package org.signaling.api.call;

import java.util.regex.Pattern;

import org.signaling.api.dn.DnSyntax;

/**
 * What the values of a call may look like, as the contract says. The one home of these rules inside the call module:
 * the make request is checked with them, and the adapters check again before anything goes on a wire.
 * <ul>
 * <li>A destination: a number (digits with an optional leading {@code +}, and {@code *} and {@code #}) or a DN, 1 to
 * 32 characters either way.</li>
 * <li>A caller ID: digits with an optional leading {@code +}, 1 to 32.</li>
 * </ul>
 */
public final class CallGrammar {

	public static final int MAX_DESTINATION_LENGTH = 32;

	static final String DN_RULE = "a DN (1-64 characters of A-Z a-z 0-9 + * # . _ -)";

	static final String DESTINATION_RULE = "a number (digits with an optional leading +, * and #) or a DN, 1-"
			+ MAX_DESTINATION_LENGTH + " characters";

	static final String CALLER_ID_RULE = "digits with an optional leading +, 1-32";

	private static final Pattern NUMBER = Pattern.compile("\\+?[0-9*#]{1," + MAX_DESTINATION_LENGTH + "}");

	private static final Pattern CALLER_ID = Pattern.compile("\\+?[0-9]{1,32}");

	private CallGrammar() {
	}

	public static boolean isDestination(String to) {
		return !to.isEmpty() && to.length() <= MAX_DESTINATION_LENGTH
				&& (NUMBER.matcher(to).matches() || DnSyntax.isValid(to));
	}

	public static boolean isCallerId(String callerId) {
		return CALLER_ID.matcher(callerId).matches();
	}

}
