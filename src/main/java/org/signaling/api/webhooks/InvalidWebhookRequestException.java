package org.signaling.api.webhooks;

import org.signaling.api.shared.ProblemType;
import org.signaling.api.shared.Problems;
import org.springframework.web.ErrorResponseException;

/** A subscription request, a rotation or a delivery query that breaks the rules: 400 with what is wrong. */
public class InvalidWebhookRequestException extends ErrorResponseException {

	public InvalidWebhookRequestException(String detail) {
		this(ProblemType.INVALID_PARAMETER, detail);
	}

	private InvalidWebhookRequestException(ProblemType type, String detail) {
		super(type.status(), Problems.of(type, detail), null);
	}

	/** A required field that is absent: 400 "Missing required parameter: url". */
	public static InvalidWebhookRequestException missing(String parameter) {
		return new InvalidWebhookRequestException(ProblemType.MISSING_PARAMETER,
				"Missing required parameter: " + parameter);
	}

}
