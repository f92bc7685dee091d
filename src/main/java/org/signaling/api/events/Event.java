package org.signaling.api.events;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One thing that happened.
 *
 * @param id unique ("evt-" and 32 hex digits)
 * @param type e.g. "call.ended", "dn.busy" (see {@link EventTypes})
 * @param occurredAt when the service observed it
 * @param subjectType "dn", "call", "genesys" or "backend"
 * @param subject the DN, call id, Genesys server, or backend name
 * @param sequence 1, 2, 3... per subject: a client sees gaps and order per DN or call
 * @param data what a client needs without a second request (JSON-ready values only)
 * @param traceId the W3C trace id of the request that caused it, null for what Kamailio or Asterisk reported alone
 */
public record Event(String id, String type, Instant occurredAt, String subjectType, String subject, long sequence,
		Map<String, Object> data, @Nullable String traceId) {

	public Event {
		data = Map.copyOf(data);
	}

	/** An event outside any trace. */
	public Event(String id, String type, Instant occurredAt, String subjectType, String subject, long sequence,
			Map<String, Object> data) {
		this(id, type, occurredAt, subjectType, subject, sequence, data, null);
	}

}
