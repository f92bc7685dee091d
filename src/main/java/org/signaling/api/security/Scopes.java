package org.signaling.api.security;

/** The scopes a credential can hold. */
public final class Scopes {

	/** GET endpoints. */
	public static final String READ = "read";

	/** POST /api/call/make and /api/call/hangup (an agent token only for its own DN). */
	public static final String CALLS = "calls";

	/** Hang up any call (supervisors). */
	public static final String SUPERVISE = "supervise";

	/**
	 * {@code GET /actuator/prometheus} and nothing else: a scraper's credential can read no call, DN or webhook. Chosen
	 * over a second, plain-HTTP management port: the one TLS port, its rate limits and audit stay the only way in,
	 * the health probes and load balancer checks keep their address, and Prometheus sends the key as a bearer token.
	 */
	public static final String METRICS = "metrics";

	/** Everything, Actuator included. */
	public static final String ADMIN = "admin";

	private Scopes() {
	}

}
