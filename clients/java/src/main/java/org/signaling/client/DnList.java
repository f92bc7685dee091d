package org.signaling.client;

import java.util.List;
import java.util.Map;

/** {@code GET /api/dn/list}: every known DN. */
public record DnList(List<Entry> dns, int count) {

	static DnList from(Map<String, Object> json) {
		return new DnList(Fields.list(json, "dns", Entry::from), Fields.integer(json, "count"));
	}

	/** One DN: {@code status} "registered" or "offline", {@code availability} "available", "busy" or "offline". */
	public record Entry(String dn, String sipUri, String status, String availability, int activeCallCount,
			int contactCount) {

		static Entry from(Map<String, Object> json) {
			return new Entry(Fields.str(json, "dn"), Fields.str(json, "sip_uri"), Fields.str(json, "status"),
					Fields.str(json, "availability"), Fields.integer(json, "active_call_count"),
					Fields.integer(json, "contact_count"));
		}

	}

}
