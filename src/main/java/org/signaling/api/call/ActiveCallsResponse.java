package org.signaling.api.call;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code GET /api/calls/active}.
 *
 * @param activeCalls the number of active calls (any state)
 * @param timestamp epoch seconds, as a string (the seed's type)
 * @param byState the same calls counted per state ("ringing", "confirmed", ...)
 */
public record ActiveCallsResponse(@JsonProperty("active_calls") int activeCalls, String timestamp,
		@JsonProperty("by_state") Map<String, Integer> byState) {
}
