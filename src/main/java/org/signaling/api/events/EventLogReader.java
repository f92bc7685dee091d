package org.signaling.api.events;

import java.util.OptionalLong;

/**
 * A durable reader of the event log (the webhook outbox): the log is never pruned past what such a reader has not
 * taken yet, whatever the retention, so a long outage loses nothing.
 */
public interface EventLogReader {

	/** The last position this reader has taken; empty when it needs nothing kept. */
	OptionalLong lastTakenPosition();

}
