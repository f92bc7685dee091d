package org.signaling.api.call;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A call-control request that is missing a field or has one that does not match its grammar: 400, or 422. */
public class InvalidCallRequestException extends ErrorResponseException {

	public InvalidCallRequestException(String message) {
		this(HttpStatus.BAD_REQUEST, message);
	}

	public InvalidCallRequestException(HttpStatus status, String message) {
		super(status);
		getBody().setDetail(message);
	}

	public static InvalidCallRequestException missing(String parameter) {
		return new InvalidCallRequestException("Missing required parameter: " + parameter);
	}

}
