package org.signaling.api.dn;

import org.signaling.api.shared.ProblemType;
import org.signaling.api.shared.Problems;
import org.springframework.web.ErrorResponseException;

/** A well-formed DN that is neither registered nor in the configured directory: 404 "DN not found: 5001". */
public class DnNotFoundException extends ErrorResponseException {

	public DnNotFoundException(String dn) {
		super(ProblemType.DN_NOT_FOUND.status(), Problems.of(ProblemType.DN_NOT_FOUND, "DN not found: " + dn), null);
	}

}
