package org.signaling.api.events;

/**
 * An event with its position in the log: positions grow with every append, so readers (SSE, webhooks) resume from
 * the last position they handled.
 */
public record StoredEvent(long position, Event event) {
}
