package org.signaling.api.shared;

/**
 * Request attributes a controller sets so that the audit log can say what a call-control request was about, even
 * when it was refused.
 */
public final class AuditAttributes {

	public static final String CALL_ID = "signaling.audit.call_id";

	public static final String FROM = "signaling.audit.from";

	public static final String TO = "signaling.audit.to";

	private AuditAttributes() {
	}

}
