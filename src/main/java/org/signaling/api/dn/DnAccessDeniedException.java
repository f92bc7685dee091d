package org.signaling.api.dn;

import org.signaling.api.shared.ProblemType;
import org.signaling.api.shared.Problems;
import org.springframework.web.ErrorResponseException;

/**
 * An agent token asked about a DN other than its own: 403 "Agent 5001 may only see its own DN". Said whether or not
 * the other DN exists, so the answer tells nothing about it.
 */
public class DnAccessDeniedException extends ErrorResponseException {

	public DnAccessDeniedException(String ownDn) {
		this(ownDn, "see");
	}

	/**
	 * @param action what the agent may do for its own DN alone, as in "Agent 5001 may only {@code action} its own
	 * DN"
	 */
	public DnAccessDeniedException(String ownDn, String action) {
		super(ProblemType.DN_ACCESS_DENIED.status(),
				Problems.of(ProblemType.DN_ACCESS_DENIED, "Agent " + ownDn + " may only " + action + " its own DN"),
				null);
	}

}
