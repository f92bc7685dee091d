package org.signaling.api.webhooks;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A subscription request, a rotation or a delivery query that breaks the rules: 400 with what is wrong. */
public class InvalidWebhookRequestException extends ErrorResponseException {

	public InvalidWebhookRequestException(String detail) {
		super(HttpStatus.BAD_REQUEST);
		getBody().setDetail(detail);
	}

}
