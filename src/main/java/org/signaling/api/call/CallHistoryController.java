package org.signaling.api.call;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.signaling.api.call.internal.CallHistoryRepository;
import org.signaling.api.dn.DnService;
import org.signaling.api.dn.DnSyntax;
import org.signaling.api.shared.CallerScope;
import org.signaling.api.shared.Grammar;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/calls/history}: every ended call, filtered by {@code dn}, {@code since}/{@code until} (ISO-8601
 * instants, on the end time), {@code end_cause}; newest first, {@code limit} (1-500, default 50) per page,
 * {@code cursor} from the previous page. An agent token confined to its DN ({@link CallerScope}) sees its DN's calls
 * only: without {@code dn} the filter is its own DN, and another DN is 403.
 */
@RestController
class CallHistoryController {

	private final CallHistoryRepository history;

	private final DnService dnService;

	private final CallerScope callerScope;

	/** Calls of one Genesys interaction listed, at most. */
	private static final int MAX_FOUND = 20;

	CallHistoryController(CallHistoryRepository history, DnService dnService, CallerScope callerScope) {
		this.history = history;
		this.dnService = dnService;
		this.callerScope = callerScope;
	}

	@GetMapping(path = "/api/calls/history", produces = "application/json")
	CallHistoryResponse history(@RequestParam(required = false) @Nullable String dn,
			@RequestParam(required = false) @Nullable String since,
			@RequestParam(required = false) @Nullable String until,
			@RequestParam(name = "end_cause", required = false) @Nullable String endCause,
			@RequestParam(required = false) @Nullable Integer limit,
			@RequestParam(required = false) @Nullable String cursor) {
		if (dn != null) {
			DnSyntax.requireValid(dn);
			dnService.requireVisible(dn);
		}
		String confined = callerScope.confinedDn();
		String filter = (confined != null) ? confined : dn;
		if (endCause != null && !endCause.matches("[a-z_]{1,32}")) {
			throw new InvalidCallRequestException("Invalid end_cause");
		}
		int pageSize = (limit != null) ? limit : 50;
		if (pageSize < 1 || pageSize > 500) {
			throw new InvalidCallRequestException("Invalid limit: expected 1 to 500");
		}
		Long before = null;
		if (cursor != null) {
			if (!cursor.matches("[0-9]{1,18}")) {
				throw new InvalidCallRequestException("Invalid cursor");
			}
			before = Long.parseLong(cursor);
		}
		List<CallHistoryRepository.HistoryEntry> page = history.ended(filter, instant(since, "since"),
				instant(until, "until"), endCause, before, pageSize + 1);
		boolean more = page.size() > pageSize;
		List<CallHistoryRepository.HistoryEntry> shown = more ? page.subList(0, pageSize) : page;
		List<CallHistoryResponse.Entry> entries = shown.stream().map((entry) -> view(entry, filter)).toList();
		String next = more ? Long.toString(shown.get(shown.size() - 1).id()) : null;
		return new CallHistoryResponse(entries, next);
	}

	/**
	 * The calls of a Genesys interaction, found by the Genesys SIP Server's id (WWE knows the interaction, not our
	 * call id); a caller confined to its DN sees only the calls of that DN.
	 */
	@GetMapping(path = "/api/calls", produces = "application/json")
	CallsFoundResponse byGenesysCallUuid(
			@RequestParam(name = "genesys_call_uuid", required = false) @Nullable String genesysCallUuid) {
		if (genesysCallUuid == null || genesysCallUuid.isEmpty()) {
			throw InvalidCallRequestException.missing("genesys_call_uuid");
		}
		if (!Grammar.isGenesysCallUuid(genesysCallUuid)) {
			throw new InvalidCallRequestException(
					"Invalid genesys_call_uuid: expected " + Grammar.GENESYS_CALL_UUID_RULE);
		}
		String confined = callerScope.confinedDn();
		List<CallsFoundResponse.GenesysCall> calls = history.ofGenesysCallUuid(genesysCallUuid, MAX_FOUND)
			.stream()
			.filter((entry) -> confined == null || entry.dns().contains(confined))
			.map((entry) -> new CallsFoundResponse.GenesysCall(entry.callId(), entry.origin(), entry.state(),
					entry.fromUri(), entry.toUri(), entry.fromDn(), List.copyOf(entry.dns()), entry.sipCallId(),
					entry.dialogId(), genesysCallUuid, entry.createdAt().getEpochSecond(),
					epochSeconds(entry.answeredAt()), epochSeconds(entry.endedAt()), entry.endCause()))
			.toList();
		return new CallsFoundResponse(calls);
	}

	private static @Nullable Long epochSeconds(@Nullable Instant instant) {
		return (instant != null) ? instant.getEpochSecond() : null;
	}

	private static CallHistoryResponse.Entry view(CallHistoryRepository.HistoryEntry entry, @Nullable String dn) {
		String direction = (dn == null) ? null : dn.equals(entry.fromDn()) ? "outbound" : "inbound";
		return new CallHistoryResponse.Entry(entry.callId(), entry.origin(), entry.fromUri(), entry.toUri(),
				entry.fromDn(), List.copyOf(entry.dns()), direction, entry.sipCallId(), entry.dialogId(),
				entry.createdAt().getEpochSecond(),
				(entry.answeredAt() != null) ? entry.answeredAt().getEpochSecond() : null,
				entry.endedAt().getEpochSecond(), (entry.duration() != null) ? entry.duration() : 0, entry.endCause(),
				entry.genesysCallUuid());
	}

	private static @Nullable Instant instant(@Nullable String value, String name) {
		if (value == null) {
			return null;
		}
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new InvalidCallRequestException("Invalid " + name + ": expected an ISO-8601 instant such as "
					+ "2026-11-26T10:00:00Z");
		}
	}

}
