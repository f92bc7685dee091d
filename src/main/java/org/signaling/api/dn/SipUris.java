package org.signaling.api.dn;

/**
 * Where to send an INVITE for a DN or an AoR: the AoR at the registrar's SIP domain ("sip:5001@192.168.210.54"). One
 * home for the rule, used by the DN answers, the call listings and the events.
 */
public final class SipUris {

	private final String domain;

	/** @param domain the SIP domain a bare DN is at (the registrar's) */
	public SipUris(String domain) {
		this.domain = domain;
	}

	/** "sip:" + the AoR; a bare DN ("5001") is put at the SIP domain. */
	public String of(String aor) {
		return aor.contains("@") ? "sip:" + aor : "sip:" + aor + "@" + domain;
	}

}
