package org.signaling.api.call;

/**
 * Asterisk answered an action with an error (e.g. "Extension does not exist." for an originate): it is reachable
 * but refused. Answered 502 with the reason.
 */
public class PbxRejectedException extends RuntimeException {

	public PbxRejectedException(String reason) {
		super(reason);
	}

}
