package org.signaling.api.call;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/calls/active}.
 *
 * @param activeCalls the number of active calls (any state)
 * @param timestamp epoch seconds, as a string (the seed's type)
 * @param byState the same calls counted per state ("ringing", "confirmed", ...)
 * @param calls the same calls, oldest first (for dashboards: one request instead of one per DN)
 */
public record ActiveCallsResponse(@JsonProperty("active_calls") int activeCalls, String timestamp,
		@JsonProperty("by_state") Map<String, Integer> byState, List<Call> calls) {

	/**
	 * One active call, published as "ActiveCall": under one name with DnCallsResponse.Call, the list was documented
	 * with that one.
	 * @param callId our id for calls the API placed, else the SIP Call-ID
	 * @param state "initiated", "trying", "ringing", "answered" or "confirmed"
	 * @param fromDn the calling party's DN or number (the From user)
	 * @param dns every DN the call involves
	 * @param duration seconds since the call was answered; 0 while not answered
	 * @param createdAt epoch seconds of the INVITE (or of the API request)
	 * @param answeredAt epoch seconds of the answer; null until answered
	 * @param dialogId Kamailio's dialog id ("h_entry:h_id"), once Kamailio carries the call
	 * @param genesysCallUuid the Genesys interaction's X-Genesys-CallUUID; absent when the call had none
	 */
	@Schema(name = "ActiveCall")
	public record Call(@JsonProperty("call_id") String callId, String from, String to, String state,
			@JsonProperty("from_dn") String fromDn, List<String> dns, long duration,
			@JsonProperty("created_at") long createdAt, @JsonProperty("answered_at") @Nullable Long answeredAt,
			@JsonProperty("dialog_id") @Nullable String dialogId,
			@JsonProperty("genesys_call_uuid") @JsonInclude(JsonInclude.Include.NON_NULL)
			@Nullable String genesysCallUuid) {
	}

}
