package org.signaling.api.call;

import org.signaling.api.shared.ProblemType;
import org.signaling.api.shared.Problems;
import org.springframework.web.ErrorResponseException;

/** No call with this id, neither placed by the API nor carried by Kamailio: 404 "Call not found: ...". */
public class CallNotFoundException extends ErrorResponseException {

	public CallNotFoundException(String callId) {
		super(ProblemType.CALL_NOT_FOUND.status(), Problems.of(ProblemType.CALL_NOT_FOUND, "Call not found: " + callId),
				null);
	}

}
