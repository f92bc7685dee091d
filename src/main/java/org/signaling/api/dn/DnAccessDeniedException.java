package org.signaling.api.dn;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * An agent token asked about a DN other than its own: 403 "Agent 5001 may only see its own DN". Said whether or not
 * the other DN exists, so the answer tells nothing about it.
 */
public class DnAccessDeniedException extends ErrorResponseException {

	public DnAccessDeniedException(String ownDn) {
		super(HttpStatus.FORBIDDEN);
		getBody().setDetail("Agent " + ownDn + " may only see its own DN");
	}

}
