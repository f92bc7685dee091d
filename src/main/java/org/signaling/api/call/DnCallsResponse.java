package org.signaling.api.call;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** {@code GET /api/calls/dn/{dn}}: the seed's {@code dn}, {@code active_calls} (a list) and {@code count}. */
public record DnCallsResponse(String dn, @JsonProperty("active_calls") List<Call> activeCalls, int count) {

	/**
	 * One call of the DN.
	 * @param callId the call's id (the SIP Call-ID for calls Kamailio carries)
	 * @param state "trying", "ringing", "answered" or "confirmed"
	 * @param duration seconds since the call was answered; 0 while not answered
	 * @param direction "outbound" when the DN is the caller, "inbound" otherwise
	 * @param createdAt epoch seconds of the INVITE
	 * @param answeredAt epoch seconds of the answer; null until answered
	 * @param dialogId Kamailio's dialog id ("h_entry:h_id")
	 */
	public record Call(@JsonProperty("call_id") String callId, String from, String to, String state, long duration,
			String direction, @JsonProperty("created_at") long createdAt,
			@JsonProperty("answered_at") @Nullable Long answeredAt,
			@JsonProperty("dialog_id") @Nullable String dialogId,
			@JsonProperty("genesys_call_uuid") @JsonInclude(JsonInclude.Include.NON_NULL)
			@Nullable String genesysCallUuid) {
	}

}
