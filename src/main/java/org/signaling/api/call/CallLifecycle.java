package org.signaling.api.call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.EventTypes;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.CallsChanged;
import org.signaling.api.shared.ViewRefreshed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The life of every call, whichever side knows it (placed through the API, or only carried by Kamailio), as
 * events: {@code call.initiated}, {@code call.ringing}, {@code call.answered}, and exactly one {@code call.ended}.
 * Each call is recorded in the call history from its start; a call still open there after a restart, and gone
 * from Asterisk and Kamailio, ends with cause "reconciled". Nothing is concluded while Kamailio cannot be asked.
 */
@Component
class CallLifecycle {

	private static final Logger log = LoggerFactory.getLogger(CallLifecycle.class);

	/** Calls open in the history, by call id, with the stage last announced. */
	private final Map<String, Stage> open = new HashMap<>();

	private final LiveCalls liveCalls;

	private final CallRegistry registry;

	private final CallHistoryRepository history;

	private final EventLog events;

	private final ApplicationEventPublisher publisher;

	private final Clock clock;

	CallLifecycle(LiveCalls liveCalls, CallRegistry registry, CallHistoryRepository history, EventLog events,
			ApplicationEventPublisher publisher, Clock clock) {
		this.liveCalls = liveCalls;
		this.registry = registry;
		this.history = history;
		this.events = events;
		this.publisher = publisher;
		this.clock = clock;
		// Calls that were going when the service stopped: the first look at the backends settles them.
		history.findOpen().forEach((call) -> open.put(call.callId(), Stage.of(call.state())));
	}

	@EventListener
	void onViewRefreshed(ViewRefreshed refreshed) {
		if (ViewRefreshed.DIALOGS.equals(refreshed.part())) {
			sync();
		}
	}

	@EventListener
	void onCallRecordChanged(CallRecordChanged changed) {
		sync();
	}

	synchronized void sync() {
		List<ListedCall> calls;
		try {
			calls = liveCalls.all().value();
		}
		catch (BackendUnavailableException ex) {
			// Without Kamailio's dialogs a vanished call cannot be told from a stale view.
			return;
		}
		boolean changed = false;
		Map<String, ListedCall> now = new LinkedHashMap<>();
		calls.forEach((call) -> now.putIfAbsent(call.callId(), call));
		for (ListedCall call : now.values()) {
			Stage stage = Stage.of(call.state());
			Stage announced = open.get(call.callId());
			if (announced == null) {
				changed |= start(call, stage);
			}
			else if (stage.ordinal() > announced.ordinal()) {
				progress(call, announced, stage);
				changed = true;
			}
		}
		for (String callId : List.copyOf(open.keySet())) {
			if (!now.containsKey(callId)) {
				end(callId);
				changed = true;
			}
		}
		if (changed) {
			publisher.publishEvent(new CallsChanged());
		}
	}

	private boolean start(ListedCall call, Stage stage) {
		String origin = CallIds.isOurs(call.callId()) && registry.find(call.callId()).isPresent() ? "api" : "kamailio";
		boolean opened = history.open(new CallHistoryRepository.HistoryEntry(0, call.callId(), origin,
				stage.state, call.fromUri(), call.toUri(), call.fromDn(), call.dns(), null, call.dialogId(),
				call.createdAt(), call.answeredAt(), null, null, null));
		if (!opened) {
			// Ended before (a call id is never reused): a dialog lingering after its end is not a new call.
			return false;
		}
		open.put(call.callId(), Stage.INITIATED);
		append(EventTypes.CALL_INITIATED, call, data(call, origin));
		if (stage != Stage.INITIATED) {
			progress(call, Stage.INITIATED, stage);
		}
		return true;
	}

	private void progress(ListedCall call, Stage from, Stage to) {
		history.progress(call.callId(), to.state, call.answeredAt(), call.dialogId());
		if (from.ordinal() < Stage.RINGING.ordinal() && to == Stage.RINGING) {
			append(EventTypes.CALL_RINGING, call, data(call, null));
		}
		if (to == Stage.ANSWERED) {
			append(EventTypes.CALL_ANSWERED, call, data(call, null));
		}
		open.put(call.callId(), to);
	}

	private void end(String callId) {
		Stage stage = open.remove(callId);
		Instant now = clock.instant();
		Optional<CallRecord> ours = CallIds.isOurs(callId) ? registry.find(callId) : Optional.empty();
		Optional<CallHistoryRepository.HistoryEntry> entry = history.findOpen(callId);
		boolean seen = seenSinceStart.remove(callId) != null;
		String cause;
		Instant answeredAt = entry.map(CallHistoryRepository.HistoryEntry::answeredAt).orElse(null);
		Integer hangupCause = null;
		String sipCallId = null;
		if (ours.isPresent() && ours.get().endCause() != null) {
			cause = ours.get().endCause();
			hangupCause = ours.get().hangupCause();
			answeredAt = (ours.get().answeredAt() != null) ? ours.get().answeredAt() : answeredAt;
			now = (ours.get().endedAt() != null) ? ours.get().endedAt() : now;
			sipCallId = ours.get().sipCallId();
		}
		else if (!seen) {
			cause = EndCauses.RECONCILED;
		}
		else {
			// A call only Kamailio carried: its dialog is gone; who hung up is not in dlg.list.
			cause = (stage == Stage.ANSWERED) ? "hangup" : "not_answered";
		}
		long duration = (answeredAt != null) ? Math.max(0, Duration.between(answeredAt, now).toSeconds()) : 0;
		if (!history.close(callId, now, cause, duration, sipCallId)) {
			return;
		}
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("call_id", callId);
		entry.ifPresent((found) -> {
			data.put("from", found.fromUri());
			data.put("to", found.toUri());
			data.put("from_dn", found.fromDn());
			data.put("dns", List.copyOf(found.dns()));
			data.put("origin", found.origin());
		});
		data.put("state", "ended");
		data.put("end_cause", cause);
		if (hangupCause != null) {
			data.put("hangup_cause", hangupCause);
		}
		data.put("duration", duration);
		data.put("ended_at", now.toString());
		events.append(EventTypes.CALL_ENDED, "call", callId, data);
		log.debug("Call {} ended: {}", callId, cause);
	}

	/** Calls seen live since this service started: an open call never seen again was settled while it was away. */
	private final Map<String, Boolean> seenSinceStart = new HashMap<>();

	private void append(String type, ListedCall call, Map<String, Object> data) {
		seenSinceStart.put(call.callId(), Boolean.TRUE);
		events.append(type, "call", call.callId(), data);
	}

	private static Map<String, Object> data(ListedCall call, @Nullable String origin) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("call_id", call.callId());
		data.put("from", call.fromUri());
		data.put("to", call.toUri());
		data.put("from_dn", call.fromDn());
		data.put("dns", List.copyOf(call.dns()));
		data.put("state", call.state());
		if (origin != null) {
			data.put("origin", origin);
		}
		data.put("created_at", call.createdAt().toString());
		if (call.answeredAt() != null) {
			data.put("answered_at", call.answeredAt().toString());
		}
		if (call.dialogId() != null) {
			data.put("dialog_id", call.dialogId());
		}
		return data;
	}

	/** How far a call got, in the order events announce it. */
	enum Stage {

		INITIATED("initiated"), RINGING("ringing"), ANSWERED("answered");

		private final String state;

		Stage(String state) {
			this.state = state;
		}

		static Stage of(String state) {
			return switch (state) {
				case "ringing" -> RINGING;
				case "answered", "confirmed" -> ANSWERED;
				default -> INITIATED;
			};
		}

	}

}
