package org.signaling.api.shared;

/**
 * A backend needed to answer could not be reached or gave no usable answer. Answered with 503 and the message as
 * {@code error}, e.g. "Kamailio unreachable".
 */
public class BackendUnavailableException extends RuntimeException {

	/** How long a client should wait before asking again: the live views refresh about every second. */
	public static final int RETRY_AFTER_SECONDS = 2;

	private final String backend;

	public BackendUnavailableException(String backend, String message) {
		super(message);
		this.backend = backend;
	}

	public BackendUnavailableException(String backend, String message, Throwable cause) {
		super(message, cause);
		this.backend = backend;
	}

	/** "kamailio", "asterisk" or "genesys". */
	public String backend() {
		return backend;
	}

}
