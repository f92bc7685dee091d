package org.signaling.api.call;

import org.signaling.api.shared.ProblemType;
import org.signaling.api.shared.Problems;
import org.springframework.web.ErrorResponseException;

/**
 * A call-control request that is missing a field or has one that does not match its grammar (400), or that cannot be
 * carried out as asked (422): each with its problem type, so clients can branch on it.
 */
public class InvalidCallRequestException extends ErrorResponseException {

	/** A field outside its grammar: 400 {@code invalid-parameter}. */
	public InvalidCallRequestException(String message) {
		this(ProblemType.INVALID_PARAMETER, message);
	}

	private InvalidCallRequestException(ProblemType type, String message) {
		super(type.status(), Problems.of(type, message), null);
	}

	/** A required field that is absent: 400 {@code missing-parameter}. */
	public static InvalidCallRequestException missing(String parameter) {
		return new InvalidCallRequestException(ProblemType.MISSING_PARAMETER,
				"Missing required parameter: " + parameter);
	}

	/** A call from a DN to itself: 422 {@code call-to-self}. */
	public static InvalidCallRequestException callToSelf(String message) {
		return new InvalidCallRequestException(ProblemType.CALL_TO_SELF, message);
	}

	/** An Idempotency-Key used before for another request: 422 {@code idempotency-conflict}. */
	public static InvalidCallRequestException idempotencyConflict(String message) {
		return new InvalidCallRequestException(ProblemType.IDEMPOTENCY_CONFLICT, message);
	}

}
