package org.signaling.api.call;

import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A call in progress as Kamailio sees it: one dialog in Kamailio's dialog list.
 *
 * @param listedCallId the call id the API lists and names this call by: the {@code apiCallId} of a call the API
 * placed; for a call only Kamailio carries, its SIP Call-ID, or, when that is not a value a client could send back
 * (too long, odd characters), a bounded form of it (see the Kamailio adapter)
 * @param dialogId Kamailio's dialog id, "h_entry:h_id"
 * @param fromUri the From URI (no display name, no tag)
 * @param toUri the To URI
 * @param createdAt when the INVITE was seen
 * @param answeredAt when it was answered; {@code null} until then
 * @param fromDn the From URI's user part ("5001"), the calling party's DN or number
 * @param dns every DN the call involves: the From and To users and the DNs Kamailio tagged the dialog with
 * @param apiCallId the id this API gave the call when it placed it (carried to Kamailio in {@code X-Call-Id}); null
 * for calls the API did not place
 * @param sipCallId the SIP Call-ID for correlation and for commands to Kamailio: as Kamailio reported it, bounded to
 * printable ASCII (the same string for every Call-ID a SIP user agent normally writes)
 * @param genesysCallUuid the Genesys SIP Server's id of the interaction ({@code X-Genesys-CallUUID} of an INVITE from
 * a trusted peer, kept by kamailio.cfg in the dialog variable {@code genesys_uuid}); null when there was none
 */
public record ActiveCall(String listedCallId, String dialogId, String fromUri, String toUri, CallState state,
		Instant createdAt, @Nullable Instant answeredAt, String fromDn, Set<String> dns, @Nullable String apiCallId,
		String sipCallId, @Nullable String genesysCallUuid) {

	public ActiveCall {
		dns = Set.copyOf(dns);
	}

}
