package org.signaling.api.webhooks;

import org.signaling.api.shared.ProblemType;
import org.signaling.api.shared.Problems;
import org.springframework.web.ErrorResponseException;

/** A change the subscription's state does not allow (one from configuration, too many subscriptions): 409. */
public class WebhookConflictException extends ErrorResponseException {

	public WebhookConflictException(String detail) {
		super(ProblemType.WEBHOOK_CONFLICT.status(), Problems.of(ProblemType.WEBHOOK_CONFLICT, detail), null);
	}

}
