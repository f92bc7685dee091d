package org.signaling.api.shared;

/**
 * Request attributes a controller sets so that the audit log can say what a call-control or SIP-credential request
 * was about, even when it was refused. Never a credential: the audit line prints them.
 */
public final class AuditAttributes {

	public static final String CALL_ID = "signaling.audit.call_id";

	public static final String FROM = "signaling.audit.from";

	public static final String TO = "signaling.audit.to";

	/** The DN SIP credentials were asked for or issued for. */
	public static final String DN = "signaling.audit.dn";

	/** When the SIP credentials issued expire (epoch seconds). */
	public static final String EXPIRES_AT = "signaling.audit.expires_at";

	private AuditAttributes() {
	}

}
