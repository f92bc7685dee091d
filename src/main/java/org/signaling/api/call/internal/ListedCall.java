package org.signaling.api.call.internal;

import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.signaling.api.call.CallState;

/**
 * One active call as the listings show it, whichever side knows it: a call the API placed (from the registry, at
 * once) or a call only Kamailio carries (from the dialog view).
 *
 * @param callId our id for API calls (also for their Kamailio dialogs), else the SIP Call-ID
 * @param state a live state: the registry's for API calls, the dialog's for Kamailio calls
 * @param dialogId Kamailio's dialog id, once Kamailio carries it
 */
public record ListedCall(String callId, String fromUri, String toUri, String fromDn, CallState state, Instant createdAt,
		@Nullable Instant answeredAt, @Nullable String dialogId, Set<String> dns, @Nullable String genesysCallUuid) {

	/** The same call, answered at this time. */
	ListedCall answeredAt(Instant at) {
		return new ListedCall(callId, fromUri, toUri, fromDn, state, createdAt, at, dialogId, dns, genesysCallUuid);
	}

	/** The same call in another state. */
	ListedCall inState(CallState other) {
		return new ListedCall(callId, fromUri, toUri, fromDn, other, createdAt, answeredAt, dialogId, dns,
				genesysCallUuid);
	}

}
