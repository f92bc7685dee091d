package org.signaling.api.call;

import java.util.regex.Pattern;

import org.signaling.api.dn.DnSyntax;

/**
 * What a call may be placed to, as the contract says: a number (digits with an optional leading {@code +}, and
 * {@code *} and {@code #}) or a DN, 1 to 32 characters either way. The one home of this rule: the call service checks
 * every request with it, and the adapters check again before anything goes on a wire.
 */
public final class Destination {

	public static final int MAX_LENGTH = 32;

	static final String RULE = "a number (digits with an optional leading +, * and #) or a DN, 1-" + MAX_LENGTH
			+ " characters";

	private static final Pattern NUMBER = Pattern.compile("\\+?[0-9*#]{1," + MAX_LENGTH + "}");

	private Destination() {
	}

	public static boolean isValid(String to) {
		return !to.isEmpty() && to.length() <= MAX_LENGTH && (NUMBER.matcher(to).matches() || DnSyntax.isValid(to));
	}

}
