package org.signaling.client;

import java.util.List;
import java.util.Map;

/** {@code GET /api/dn/list}: every known DN. */
public record DnList(List<Entry> dns, int count) {

	static DnList from(Map<String, Object> json) {
		return new DnList(Fields.list(json, "dns", Entry::from), Fields.integer(json, "count"));
	}

	/**
	 * One DN: {@code status} "registered" or "offline", {@code availability} "available", "busy", "unreachable" or
	 * "offline"; {@code reachable}: registered with a contact that answers.
	 */
	public record Entry(String dn, String sipUri, String status, String availability, int activeCallCount,
			int contactCount, boolean reachable) {

		/** As before reachability: reachable when registered. */
		public Entry(String dn, String sipUri, String status, String availability, int activeCallCount,
				int contactCount) {
			this(dn, sipUri, status, availability, activeCallCount, contactCount, "registered".equals(status));
		}

		static Entry from(Map<String, Object> json) {
			boolean registered = "registered".equals(Fields.str(json, "status"));
			return new Entry(Fields.str(json, "dn"), Fields.str(json, "sip_uri"), Fields.str(json, "status"),
					Fields.str(json, "availability"), Fields.integer(json, "active_call_count"),
					Fields.integer(json, "contact_count"),
					(json.get("reachable") instanceof Boolean answers) ? answers : registered);
		}

	}

}
