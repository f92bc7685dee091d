package org.signaling.api.dn;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/dn/{dn}}: the seed's {@code dn}, {@code status}, {@code sip_uri}, plus what a routing engineer
 * needs.
 *
 * @param status "available" (registered, no active call), "busy" (registered, in at least one active call),
 * "unreachable" (registered, but no contact answers: see {@link Reachability}) or "offline" (in the directory, not
 * registered)
 * @param sipUri where to send an INVITE for this DN: the AoR at the Kamailio SIP domain
 * @param reachable registered with at least one contact that answers
 */
public record DnResponse(String dn, String status, @JsonProperty("sip_uri") String sipUri, boolean registered,
		@JsonProperty("active_call_count") int activeCallCount, List<Contact> contacts, boolean reachable) {

	/**
	 * One registered contact.
	 * @param expires seconds until the binding lapses unless refreshed; null for a permanent contact
	 * @param reachable whether it answered Kamailio's probes lately
	 */
	public record Contact(String contact, String transport, @JsonProperty("user_agent") @Nullable String userAgent,
			@Nullable Long expires, @Nullable String received, boolean reachable) {
	}

}
