package org.signaling.api.call;

import java.util.List;
import java.util.Set;

/**
 * A hang-up ended a dialog in Kamailio, but a party did not answer its BYE within
 * {@code signaling.calls.hangup-timeout}: it may still be in the call (its media up, its agent busy). Published by the
 * Kamailio adapter for every hang-up it sends, from the API or not; becomes a {@code call.hangup_incomplete} event.
 *
 * @param callId the id the API lists the call by (the API's own id for a call it placed)
 * @param dns the DNs the call involved
 * @param legs each party not released
 */
public record HangupIncomplete(String callId, Set<String> dns, List<LegRelease> legs) {

	public HangupIncomplete {
		dns = Set.copyOf(dns);
		legs = List.copyOf(legs);
	}

}
