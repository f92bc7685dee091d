package org.signaling.api.shared;

/** A duty's write refused because another replica leads now (see {@link Leadership#confirm()}). */
public class NotLeaderException extends RuntimeException {

	public NotLeaderException(String message) {
		super(message);
	}

}
