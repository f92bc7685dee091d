package org.signaling.api.call;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * {@code 200} to {@code POST /api/call/hangup}: the seed's {@code status} ("terminated") and {@code call_id}, and
 * {@code legs} only when a party of a call Kamailio carries did not answer its BYE in time (each such party, not
 * released, with why): the call is ended in Kamailio, but that party may still be in it.
 */
public record HangupResponse(String status, @JsonProperty("call_id") String callId,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<LegRelease> legs) {

	/** The answer, with {@code legs} only when some party was not released. */
	public static HangupResponse terminated(String callId, List<LegRelease> notReleased) {
		return new HangupResponse("terminated", callId, notReleased.isEmpty() ? null : List.copyOf(notReleased));
	}

}
