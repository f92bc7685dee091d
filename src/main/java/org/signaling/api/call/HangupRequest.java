package org.signaling.api.call;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** {@code POST /api/call/hangup}: {@code {"call_id": "..."}}, an id the API returned or listed. */
public record HangupRequest(@JsonProperty("call_id") @Nullable String callId) {
}
