package org.signaling.api.call;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/calls/{call_id}}: a call's state and its correlation record.
 *
 * @param origin "api" for a call placed through this API, "kamailio" for a call only Kamailio carries
 * @param state "initiated", "ringing", "confirmed", "ended" or "failed" for API calls; the dialog state
 * ("trying", "ringing", "answered", "confirmed") for Kamailio calls
 * @param sipCallIds the SIP Call-IDs of the call's legs that Kamailio has seen
 * @param kamailioDialogId Kamailio's dialog id ("h_entry:h_id") of the agent leg
 * @param asterisk the Asterisk side: Uniqueid, Linkedid, channels; null for Kamailio calls and for calls Kamailio
 * placed ({@code signaling.calls.originator: kamailio})
 * @param createdAt epoch seconds
 * @param answeredAt epoch seconds the parties were connected; null until then
 * @param endedAt epoch seconds; null while live
 * @param endCause why it ended: normal_clearing, busy, no_answer, rejected, congestion, unallocated_number,
 * hangup_api, reconciled, asterisk_unreachable, rejected_by_asterisk, failed, hangup; for calls Kamailio placed also
 * kamailio_unreachable, destination_not_registered, destination_rejected, transfer_failed
 * @param hangupCause Asterisk's Q.850 hangup cause, when known
 * @param duration seconds connected (until now, or until the end)
 * @param originator for calls placed through this API, what placed it: "asterisk" (AMI Originate) or "kamailio"
 * ({@code dlg.bridge_dlg}); null for calls only Kamailio carries
 * @param genesysCallUuid the Genesys SIP Server's interaction id ({@code X-Genesys-CallUUID} of an INVITE from a
 * trusted peer) while Kamailio carries the call; the history and the call's events keep it
 */
public record CallDetailsResponse(@JsonProperty("call_id") String callId, String origin, String state, String from,
		String to, @JsonProperty("from_dn") String fromDn, @JsonProperty("sip_call_ids") List<String> sipCallIds,
		@JsonProperty("kamailio_dialog_id") @Nullable String kamailioDialogId, @Nullable Asterisk asterisk,
		@JsonProperty("created_at") long createdAt, @JsonProperty("answered_at") @Nullable Long answeredAt,
		@JsonProperty("ended_at") @Nullable Long endedAt, @JsonProperty("end_cause") @Nullable String endCause,
		@JsonProperty("hangup_cause") @Nullable Integer hangupCause, long duration, @Nullable String originator,
		@JsonProperty("genesys_call_uuid") @JsonInclude(JsonInclude.Include.NON_NULL)
		@Nullable String genesysCallUuid) {

	/**
	 * @param uniqueid the agent leg's Uniqueid (our call id)
	 * @param linkedid every leg's Linkedid (our call id)
	 * @param channels the legs' channel names and Uniqueids
	 * @param node the Asterisk node that took the call ({@code signaling.asterisk.nodes}, default {@code host:port}),
	 * where it is hung up; null until Asterisk accepted it, and for calls stored before nodes were recorded
	 */
	public record Asterisk(String uniqueid, String linkedid, List<Channel> channels, @Nullable String node) {
	}

	public record Channel(String name, String uniqueid) {
	}

}
