package org.signaling.api.call.internal;

/** Published by the registry when a call placed through the API changed (state, legs, end). */
public record CallRecordChanged(String callId) {
}
