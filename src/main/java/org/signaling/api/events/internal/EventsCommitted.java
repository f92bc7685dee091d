package org.signaling.api.events.internal;

/**
 * Published by this replica's event log after a commit that appended events (up to {@code lastPosition}): it wakes
 * {@link EventLogTail}, which announces them, with those of other replicas, in the log's order.
 */
record EventsCommitted(long lastPosition) {
}
