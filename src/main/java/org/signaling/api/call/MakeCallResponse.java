package org.signaling.api.call;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code 202} to {@code POST /api/call/make}: the seed's {@code status} ("initiated"), {@code from}, {@code to},
 * {@code call_id}.
 */
public record MakeCallResponse(String status, String from, String to, @JsonProperty("call_id") String callId) {
}
