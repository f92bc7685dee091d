package org.signaling.api.call;

import java.util.Set;

/**
 * Port: who may control which call, beyond the scopes the filter chain checks. An agent's token is bound to its DN:
 * it may place calls only from that DN and end only calls that DN is in. Implemented by the security module.
 */
public interface CallPermissions {

	/**
	 * @throws org.springframework.web.ErrorResponseException 403 when the caller may not call from this DN
	 */
	void checkMake(String fromDn);

	/**
	 * @param dnsOfCall the DNs the call involves
	 * @throws org.springframework.web.ErrorResponseException 403 when the caller may not end this call
	 */
	void checkHangup(Set<String> dnsOfCall);

	/**
	 * Hold, DTMF, mute, recording, transfers and monitors: an agent token only on calls its DN is in, a supervisor
	 * ({@code supervise}) or an API key on any.
	 * @param dnsOfCall the DNs the call involves
	 * @throws org.springframework.web.ErrorResponseException 403 when the caller may not control this call
	 */
	void checkControl(Set<String> dnsOfCall);

	/** The caller's identity, to keep one client's Idempotency-Keys apart from another's. */
	String callerId();

}
