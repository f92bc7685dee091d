package org.signaling.api.call.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.signaling.api.call.HangupIncomplete;
import org.signaling.api.call.LegRelease;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.EventTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * {@code call.hangup_incomplete}: a party of a call that was hung up did not answer its BYE in time. Appended by the
 * replica that hung the call up (no leader needed: no state of ours changes, the event is the whole of it).
 */
@Component
class HangupIncompleteEvents {

	private static final Logger log = LoggerFactory.getLogger(HangupIncompleteEvents.class);

	private final EventLog events;

	HangupIncompleteEvents(EventLog events) {
		this.events = events;
	}

	@EventListener
	void on(HangupIncomplete incomplete) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("call_id", incomplete.callId());
		data.put("dns", incomplete.dns().stream().sorted().toList());
		data.put("legs", incomplete.legs().stream().map(HangupIncompleteEvents::leg).toList());
		try {
			events.append(EventTypes.CALL_HANGUP_INCOMPLETE, "call", incomplete.callId(), data);
		}
		catch (RuntimeException ex) {
			// The database is away: the hang-up's answer and the log line still say it; the event is lost.
			log.warn("Could not record {} for call {}: {}", EventTypes.CALL_HANGUP_INCOMPLETE, incomplete.callId(),
					ex.getMessage());
		}
	}

	private static Map<String, Object> leg(LegRelease leg) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("party", leg.party());
		data.put("released", leg.released());
		if (leg.reason() != null) {
			data.put("reason", leg.reason());
		}
		if (leg.retryingUntil() != null) {
			data.put("retrying_until", leg.retryingUntil().toString());
		}
		return data;
	}

}
