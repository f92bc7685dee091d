package org.signaling.api.dn;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A well-formed DN that is neither registered nor in the configured directory: 404 "DN not found: 5001". */
public class DnNotFoundException extends ErrorResponseException {

	public DnNotFoundException(String dn) {
		super(HttpStatus.NOT_FOUND);
		getBody().setDetail("DN not found: " + dn);
	}

}
