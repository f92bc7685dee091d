package org.signaling.api.call;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** No call with this id, neither placed by the API nor carried by Kamailio: 404 "Call not found: ...". */
public class CallNotFoundException extends ErrorResponseException {

	public CallNotFoundException(String callId) {
		super(HttpStatus.NOT_FOUND);
		getBody().setDetail("Call not found: " + callId);
	}

}
