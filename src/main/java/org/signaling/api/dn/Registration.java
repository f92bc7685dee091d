package org.signaling.api.dn;

import java.util.List;

/**
 * A DN registered in Kamailio's location table with at least one live contact.
 *
 * @param dn the DN (the AoR's user part)
 * @param aor the AoR as Kamailio stores it: the bare user ("5001") with {@code use_domain} 0, "5001@domain" otherwise
 * @param contacts the live contacts, never empty
 */
public record Registration(String dn, String aor, List<RegisteredContact> contacts) {

	public Registration {
		contacts = List.copyOf(contacts);
	}

	/** At least one contact answers ({@link RegisteredContact#reachable()}): a call to the DN can ring somewhere. */
	public boolean reachable() {
		for (RegisteredContact contact : contacts) {
			if (contact.reachable()) {
				return true;
			}
		}
		return false;
	}

}
