package org.signaling.api.call;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/calls/history}: ended calls, newest first.
 *
 * @param nextCursor pass as {@code cursor} for the next page; null on the last page
 */
public record CallHistoryResponse(List<Entry> calls, @JsonProperty("next_cursor") @Nullable String nextCursor) {

	/**
	 * One ended call, published as "HistoryEntry": under one name with DnListResponse.Entry, the history was
	 * documented with that one.
	 *
	 * @param origin "api" or "kamailio"
	 * @param direction relative to the {@code dn} filter ("outbound" when it placed the call); null without one
	 * @param createdAt epoch seconds; also {@code answeredAt}, {@code endedAt}
	 */
	@Schema(name = "HistoryEntry")
	public record Entry(@JsonProperty("call_id") String callId, String origin, String from, String to,
			@JsonProperty("from_dn") String fromDn, List<String> dns, @Nullable String direction,
			@JsonProperty("sip_call_id") @Nullable String sipCallId,
			@JsonProperty("dialog_id") @Nullable String dialogId,
			@JsonProperty("created_at") long createdAt, @JsonProperty("answered_at") @Nullable Long answeredAt,
			@JsonProperty("ended_at") long endedAt, long duration, @JsonProperty("end_cause") String endCause,
			@JsonProperty("genesys_call_uuid") @JsonInclude(JsonInclude.Include.NON_NULL)
			@Nullable String genesysCallUuid) {
	}

}
