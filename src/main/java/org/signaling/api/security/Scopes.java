package org.signaling.api.security;

/** The scopes a credential can hold. */
public final class Scopes {

	/** GET endpoints. */
	public static final String READ = "read";

	/** POST /api/call/make and /api/call/hangup (an agent token only for its own DN). */
	public static final String CALLS = "calls";

	/** Hang up any call (supervisors). */
	public static final String SUPERVISE = "supervise";

	/** Everything, Actuator included. */
	public static final String ADMIN = "admin";

	private Scopes() {
	}

}
