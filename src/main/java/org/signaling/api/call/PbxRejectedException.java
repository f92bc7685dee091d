package org.signaling.api.call;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * Asterisk answered an action with an error (e.g. "Extension does not exist." for an originate): it is reachable
 * but refused. Answered 502 with Asterisk's reason, reduced to plain printable text.
 */
public class PbxRejectedException extends ErrorResponseException {

	private final String reason;

	public PbxRejectedException(String reason) {
		super(HttpStatus.BAD_GATEWAY);
		this.reason = reason.replaceAll("[^\\x20-\\x7E]", " ").strip();
		getBody().setDetail("Asterisk rejected the call: "
				+ (this.reason.length() > 200 ? this.reason.substring(0, 200) : this.reason));
	}

	@Override
	public String getMessage() {
		return reason;
	}

}
