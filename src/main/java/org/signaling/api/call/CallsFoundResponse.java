package org.signaling.api.call;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/calls?genesys_call_uuid=...}: the calls, live or ended, that carried a Genesys interaction, newest
 * first (one in practice; more when Genesys moved the interaction on).
 */
public record CallsFoundResponse(List<GenesysCall> calls) {

	/**
	 * One call as the history holds it.
	 * @param state its last state ("ended" once over)
	 * @param endedAt epoch seconds; null while live
	 * @param endCause null while live
	 */
	public record GenesysCall(@JsonProperty("call_id") String callId, String origin, String state, String from,
			String to, @JsonProperty("from_dn") String fromDn, List<String> dns,
			@JsonProperty("sip_call_id") @Nullable String sipCallId,
			@JsonProperty("dialog_id") @Nullable String dialogId,
			@JsonProperty("genesys_call_uuid") String genesysCallUuid, @JsonProperty("created_at") long createdAt,
			@JsonProperty("answered_at") @Nullable Long answeredAt, @JsonProperty("ended_at") @Nullable Long endedAt,
			@JsonProperty("end_cause") @Nullable String endCause) {
	}

}
