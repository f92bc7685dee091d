package org.signaling.api.call;

import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A call in progress, as the signaling plane sees it.
 *
 * @param callId the SIP Call-ID
 * @param dialogId Kamailio's dialog id, "h_entry:h_id"
 * @param fromUri the From URI (no display name, no tag)
 * @param toUri the To URI
 * @param createdAt when the INVITE was seen
 * @param answeredAt when it was answered; {@code null} until then
 * @param fromDn the From URI's user part ("5001"), the calling party's DN or number
 * @param dns every DN the call involves: the From and To users and the DNs Kamailio tagged the dialog with
 * @param apiCallId the id this API gave the call when it placed it (carried to Kamailio in {@code X-Call-Id}); null
 * for calls the API did not place
 */
public record ActiveCall(String callId, String dialogId, String fromUri, String toUri, CallState state,
		Instant createdAt, @Nullable Instant answeredAt, String fromDn, Set<String> dns, @Nullable String apiCallId) {

	public ActiveCall {
		dns = Set.copyOf(dns);
	}

}
