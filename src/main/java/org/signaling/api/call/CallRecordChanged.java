package org.signaling.api.call;

/** Published by the registry when a call placed through the API changed (state, legs, end). */
record CallRecordChanged(String callId) {
}
