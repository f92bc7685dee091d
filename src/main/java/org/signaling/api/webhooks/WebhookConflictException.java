package org.signaling.api.webhooks;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A change the subscription's state does not allow (one from configuration, too many subscriptions): 409. */
public class WebhookConflictException extends ErrorResponseException {

	public WebhookConflictException(String detail) {
		super(HttpStatus.CONFLICT);
		getBody().setDetail(detail);
	}

}
