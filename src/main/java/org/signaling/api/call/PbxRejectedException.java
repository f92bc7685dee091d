package org.signaling.api.call;

import org.signaling.api.shared.ProblemType;
import org.signaling.api.shared.Problems;
import org.springframework.web.ErrorResponseException;

/**
 * Asterisk answered an action with an error (e.g. "Extension does not exist." for an originate): it is reachable
 * but refused. Answered 502 with Asterisk's reason, reduced to plain printable text.
 */
public class PbxRejectedException extends ErrorResponseException {

	private final String reason;

	public PbxRejectedException(String reason) {
		this(reason.replaceAll("[^\\x20-\\x7E]", " ").strip(), true);
	}

	private PbxRejectedException(String printable, boolean reduced) {
		super(ProblemType.PBX_REJECTED.status(), Problems.of(ProblemType.PBX_REJECTED, "Asterisk rejected the call: "
				+ (printable.length() > 200 ? printable.substring(0, 200) : printable)), null);
		this.reason = printable;
	}

	@Override
	public String getMessage() {
		return reason;
	}

}
