package org.signaling.api.dn;

import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * The grammar of a DN: 1 to 64 of {@code A-Z a-z 0-9 + * # . _ -}. Everything a client sends as a DN is checked here
 * before it is used anywhere, so no CR, LF, space, quote or {@code @} can reach Kamailio, Asterisk or a log line.
 */
public final class DnSyntax {

	private static final Pattern DN = Pattern.compile("[A-Za-z0-9+*#._-]{1,64}");

	static final String RULE = "1-64 characters of A-Z a-z 0-9 + * # . _ -";

	private DnSyntax() {
	}

	public static boolean isValid(String candidate) {
		return DN.matcher(candidate).matches();
	}

	/** Returns the DN unchanged, or answers 400 without echoing what was sent. */
	public static String requireValid(String candidate) {
		if (!isValid(candidate)) {
			throw new InvalidDnException();
		}
		return candidate;
	}

	/** A DN that does not match the grammar: 400. */
	public static class InvalidDnException extends ErrorResponseException {

		InvalidDnException() {
			super(HttpStatus.BAD_REQUEST);
			getBody().setDetail("Invalid DN: expected " + RULE);
		}

	}

}
