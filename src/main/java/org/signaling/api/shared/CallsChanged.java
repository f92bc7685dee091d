package org.signaling.api.shared;

/**
 * Published (as an application event) when the set of active calls or their states changed, so that DN
 * availability is looked at again at once.
 */
public record CallsChanged() {
}
