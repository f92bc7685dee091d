package org.signaling.api.dn;

import org.signaling.api.shared.Grammar;
import org.signaling.api.shared.ProblemType;
import org.signaling.api.shared.Problems;
import org.springframework.web.ErrorResponseException;

/**
 * A DN a client sent, checked against the DN grammar ({@link Grammar#isDn}) before it is used anywhere: 400 without
 * echoing it otherwise.
 */
public final class DnSyntax {

	private DnSyntax() {
	}

	public static boolean isValid(String candidate) {
		return Grammar.isDn(candidate);
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
			super(ProblemType.INVALID_DN.status(),
					Problems.of(ProblemType.INVALID_DN, "Invalid DN: expected " + Grammar.DN_RULE), null);
		}

	}

}
