package org.signaling.client;

import java.util.List;
import java.util.Map;

/** {@code GET /api/calls/history}: ended calls, newest first; {@code nextCursor} is null on the last page. */
public record CallHistory(List<CallRecord> calls, String nextCursor) {

	static CallHistory from(Map<String, Object> json) {
		return new CallHistory(Fields.list(json, "calls", CallRecord::from), Fields.str(json, "next_cursor"));
	}

	/**
	 * Filters for the history; every one optional: {@code since}/{@code until} ISO-8601, {@code limit} 1–500.
	 */
	public record Filter(String dn, String since, String until, String endCause, Integer limit, String cursor) {

		public static Filter all() {
			return new Filter(null, null, null, null, null, null);
		}

		public Filter dn(String dn) {
			return new Filter(dn, since, until, endCause, limit, cursor);
		}

		public Filter since(String since) {
			return new Filter(dn, since, until, endCause, limit, cursor);
		}

		public Filter until(String until) {
			return new Filter(dn, since, until, endCause, limit, cursor);
		}

		public Filter endCause(String endCause) {
			return new Filter(dn, since, until, endCause, limit, cursor);
		}

		public Filter limit(int limit) {
			return new Filter(dn, since, until, endCause, limit, cursor);
		}

		public Filter cursor(String cursor) {
			return new Filter(dn, since, until, endCause, limit, cursor);
		}

	}

}
