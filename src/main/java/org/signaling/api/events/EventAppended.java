package org.signaling.api.events;

/** Published (as an application event, after the append is committed) so that readers wake up at once. */
public record EventAppended(StoredEvent stored) {
}
