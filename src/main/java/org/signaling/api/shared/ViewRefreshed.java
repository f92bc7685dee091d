package org.signaling.api.shared;

import java.time.Instant;

/**
 * Published (as an application event, on the refresh thread) each time a part of a backend's live view has been
 * read again, so that whoever derives events from it looks at once.
 *
 * @param part "registrations", "dialogs" or "dispatcher"
 * @param observedAt when the backend was asked
 */
public record ViewRefreshed(String part, Instant observedAt) {

	public static final String REGISTRATIONS = "registrations";

	public static final String DIALOGS = "dialogs";

	public static final String DISPATCHER = "dispatcher";

}
