package org.signaling.api.asterisk.internal;

/** Where the AMI session stands, as seen by {@link AmiConnection}. */
public enum AmiConnectionState {

	/** No {@code signaling.asterisk.host}: nothing is ever attempted. */
	NOT_CONFIGURED,
	/** Configured, but the lifecycle is not running (before start, after stop). */
	STOPPED,
	/** A login attempt (TCP connect, challenge, login) is in progress. */
	CONNECTING,
	/** Logged in; actions may be sent. */
	CONNECTED,
	/** A session that was up has dropped; asterisk-java is reconnecting by itself. */
	RECONNECTING,
	/** The last login attempt failed; the next one is scheduled with backoff. */
	DOWN

}
