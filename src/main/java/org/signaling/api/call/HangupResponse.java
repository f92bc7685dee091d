package org.signaling.api.call;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code 200} to {@code POST /api/call/hangup}: the seed's {@code status} ("terminated") and {@code call_id}. */
public record HangupResponse(String status, @JsonProperty("call_id") String callId) {
}
