package org.signaling.api.call.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

import org.signaling.api.call.HangupIncomplete;
import org.signaling.api.call.LegRelease;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.EventTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * {@code call.hangup_incomplete}: a party of a call that was hung up did not answer its BYE in time. Appended by the
 * replica that hung the call up (no leader needed: no state of ours changes, the event is the whole of it). While
 * the database is away the events wait here, in order, and are appended once it answers again (every
 * {@link #RETRY_INTERVAL}, and before any newer one); at most {@link #MAX_WAITING} wait, the oldest dropped first.
 */
@Component
class HangupIncompleteEvents {

	private static final Logger log = LoggerFactory.getLogger(HangupIncompleteEvents.class);

	static final int MAX_WAITING = 1_000;

	private static final Duration RETRY_INTERVAL = Duration.ofSeconds(5);

	private final EventLog events;

	private final TaskScheduler scheduler;

	private final Deque<Map<String, Object>> waiting = new ArrayDeque<>();

	HangupIncompleteEvents(EventLog events, TaskScheduler scheduler) {
		this.events = events;
		this.scheduler = scheduler;
	}

	@EventListener(ApplicationReadyEvent.class)
	void schedule() {
		scheduler.scheduleWithFixedDelay(this::appendWaiting, RETRY_INTERVAL);
	}

	@EventListener
	void on(HangupIncomplete incomplete) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("call_id", incomplete.callId());
		data.put("dns", incomplete.dns().stream().sorted().toList());
		data.put("legs", incomplete.legs().stream().map(HangupIncompleteEvents::leg).toList());
		synchronized (waiting) {
			if (waiting.size() == MAX_WAITING) {
				Map<String, Object> dropped = waiting.removeFirst();
				log.error("{} for call {} dropped: {} events wait for the database already",
						EventTypes.CALL_HANGUP_INCOMPLETE, dropped.get("call_id"), MAX_WAITING);
			}
			waiting.addLast(data);
		}
		appendWaiting();
	}

	/** Appends the waiting events, oldest first, until the database refuses one (that one and the rest wait). */
	void appendWaiting() {
		synchronized (waiting) {
			while (!waiting.isEmpty()) {
				Map<String, Object> data = waiting.peekFirst();
				String callId = (String) data.get("call_id");
				try {
					events.append(EventTypes.CALL_HANGUP_INCOMPLETE, "call", callId, data);
				}
				catch (RuntimeException ex) {
					log.warn("Could not record {} for call {} yet ({} waiting): {}",
							EventTypes.CALL_HANGUP_INCOMPLETE, callId, waiting.size(), ex.getMessage());
					return;
				}
				waiting.removeFirst();
			}
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
