package org.signaling.api.events.internal;

import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.signaling.api.events.EventTypes;
import org.signaling.api.shared.CallerScope;
import org.signaling.api.shared.Grammar;
import org.signaling.api.shared.ProblemType;
import org.signaling.api.shared.Problems;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/events}: Server-Sent Events, filtered by {@code dn}, {@code call_id}, {@code type}
 * (comma-separated), resumable with {@code Last-Event-ID} (header, or {@code last_event_id} for clients that cannot
 * set it). An agent token gets only its own DN's events, whatever it asks for; at most
 * {@code signaling.events.max-streams-per-credential} streams are open per credential.
 */
@RestController
class EventStreamController {


	private static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9@._:+~!%*'()-]{1,128}");

	private static final Pattern EVENT_ID = Pattern.compile("evt-[0-9a-f]{32}");

	private final EventStream stream;

	private final CallerScope caller;

	EventStreamController(EventStream stream, CallerScope caller) {
		this.stream = stream;
		this.caller = caller;
	}

	@GetMapping(path = "/api/events", produces = "text/event-stream")
	SseEmitter events(@RequestParam(name = "dn", required = false) @Nullable String dn,
			@RequestParam(name = "call_id", required = false) @Nullable String callId,
			@RequestParam(name = "type", required = false) @Nullable String type,
			@RequestParam(name = "last_event_id", required = false) @Nullable String lastEventIdParameter,
			@RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventIdHeader) {
		Set<String> dns = EventFilter.split(dn);
		Set<String> callIds = EventFilter.split(callId);
		Set<String> types = EventFilter.split(type);
		require(dns.stream().allMatch(Grammar::isDn), "Invalid dn");
		require(callIds.stream().allMatch((value) -> CALL_ID.matcher(value).matches()), "Invalid call_id");
		require(types.stream().allMatch(EventStreamController::isKnownType), "Invalid type: expected one of "
				+ String.join(", ", EventTypes.ALL) + " or a family such as call.*");
		String lastEventId = (lastEventIdHeader != null) ? lastEventIdHeader : lastEventIdParameter;
		// An id we never issued cannot be resumed from; it is treated like one no longer kept (reset).
		if (lastEventId != null && !EVENT_ID.matcher(lastEventId).matches()) {
			lastEventId = "evt-" + "0".repeat(32);
		}
		return stream.open(filter(dns, callIds, types), lastEventId, caller.credentialId());
	}

	/** The filter asked for, narrowed to the caller's own DN when it is confined to one. */
	private EventFilter filter(Set<String> dns, Set<String> callIds, Set<String> types) {
		String confined = caller.confinedDn();
		if (confined == null) {
			return new EventFilter(dns, callIds, types);
		}
		if (!dns.isEmpty() && !dns.contains(confined)) {
			throw Problems.exception(ProblemType.DN_ACCESS_DENIED,
					"Agent " + confined + " may only follow the events of its own DN");
		}
		return new EventFilter(dns.isEmpty() ? dns : Set.of(confined), callIds, types, confined);
	}

	private static boolean isKnownType(String type) {
		return EventTypes.ALL.contains(type) || (type.endsWith(".*")
				&& EventTypes.ALL.stream().anyMatch((known) -> known.startsWith(type.substring(0, type.length() - 1))));
	}

	private static void require(boolean valid, String message) {
		if (!valid) {
			throw Problems.exception(ProblemType.INVALID_PARAMETER, message);
		}
	}

}
