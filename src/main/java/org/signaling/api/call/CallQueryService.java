package org.signaling.api.call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.signaling.api.call.internal.ListedCall;
import org.signaling.api.call.internal.LiveCalls;
import org.signaling.api.dn.DnNotFoundException;
import org.signaling.api.dn.DnService;
import org.signaling.api.dn.DnSyntax;
import org.signaling.api.shared.CallerScope;
import org.signaling.api.shared.Observed;
import org.signaling.api.shared.PerChange;
import org.signaling.api.shared.ReadyJson;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers call listings from memory: the live dialog view and the registry of API calls. An agent token confined to
 * its DN ({@link CallerScope}) sees only the calls its DN is in: the others are neither listed nor counted.
 */
@Service
class CallQueryService {


	private final LiveCalls liveCalls;

	private final DnService dnService;

	private final CallerScope callerScope;

	private final JsonMapper json;

	private final Clock clock;

	/** Built once per change of the calls and once a second (durations count seconds); per DN for agents. */
	private final PerChange<String, ReadyJson<ActiveCallsResponse>> summaries = new PerChange<>();

	/** Each from the per-DN index: an agent's summary never rebuilds the whole list. */
	private final PerChange<String, ReadyJson<ActiveCallsResponse>> summariesOfDn = new PerChange<>();

	private final PerChange<String, ReadyJson<DnCallsResponse>> callsOfDn = new PerChange<>();

	CallQueryService(LiveCalls liveCalls, DnService dnService, CallerScope callerScope, JsonMapper json,
			Clock clock) {
		this.liveCalls = liveCalls;
		this.dnService = dnService;
		this.callerScope = callerScope;
		this.json = json;
		this.clock = clock;
	}

	/** Every active call, or for a caller confined to its DN the calls of that DN (its count and states too). */
	Observed<ReadyJson<ActiveCallsResponse>> activeCalls() {
		String confined = callerScope.confinedDn();
		Instant now = clock.instant();
		if (confined != null) {
			Observed<Map<String, List<ListedCall>>> byDn = liveCalls.byDn();
			return byDn.map((index) -> summariesOfDn.get(confined,
					(dn) -> ReadyJson.of(summary(index.getOrDefault(dn, List.of()), now), json), index,
					now.getEpochSecond()));
		}
		return liveCalls.all()
			.map((calls) -> summaries.get(() -> ReadyJson.of(summary(calls, now), json), calls, now.getEpochSecond()));
	}

	private static ActiveCallsResponse summary(List<ListedCall> calls, Instant now) {
		Map<String, Integer> byState = new LinkedHashMap<>();
		// every live state, in the enum's order, counted or not
		for (CallState state : CallState.values()) {
			if (state.isLive()) {
				byState.put(state.jsonName(), 0);
			}
		}
		calls.forEach((call) -> byState.merge(call.state().jsonName(), 1, Integer::sum));
		List<ActiveCallsResponse.Call> views = calls.stream().map((call) -> view(call, now)).toList();
		return new ActiveCallsResponse(calls.size(), Long.toString(now.getEpochSecond()), byState, views);
	}

	/**
	 * The active calls of one DN. A DN that is registered, in the directory, or in a call is known; any other is 404.
	 * @throws org.signaling.api.dn.DnAccessDeniedException 403 for another DN than the caller's own, when it is
	 * confined to one
	 */
	Observed<ReadyJson<DnCallsResponse>> callsOf(String dn) {
		DnSyntax.requireValid(dn);
		dnService.requireVisible(dn);
		Observed<Map<String, List<ListedCall>>> byDn = liveCalls.byDn();
		List<ListedCall> ofDn = byDn.value().getOrDefault(dn, List.of());
		if (ofDn.isEmpty() && !dnService.isKnown(dn)) {
			throw new DnNotFoundException(dn);
		}
		Instant now = clock.instant();
		return byDn.map((index) -> callsOfDn.get(dn, (key) -> {
			List<DnCallsResponse.Call> views = ofDn.stream().map((call) -> view(call, key, now)).toList();
			return ReadyJson.of(new DnCallsResponse(key, views, views.size()), json);
		}, index, now.getEpochSecond()));
	}

	private static ActiveCallsResponse.Call view(ListedCall call, Instant now) {
		return new ActiveCallsResponse.Call(call.callId(), call.fromUri(), call.toUri(), call.state().jsonName(),
				call.fromDn(), call.dns().stream().sorted().toList(), duration(call, now),
				call.createdAt().getEpochSecond(), answeredAt(call), call.dialogId(), call.genesysCallUuid());
	}

	private static DnCallsResponse.Call view(ListedCall call, String dn, Instant now) {
		long duration = duration(call, now);
		Long answeredAt = answeredAt(call);
		String direction = dn.equals(call.fromDn()) ? "outbound" : "inbound";
		return new DnCallsResponse.Call(call.callId(), call.fromUri(), call.toUri(), call.state().jsonName(), duration,
				direction, call.createdAt().getEpochSecond(), answeredAt, call.dialogId(), call.genesysCallUuid());
	}

	private static long duration(ListedCall call, Instant now) {
		return (call.answeredAt() != null) ? Math.max(0, Duration.between(call.answeredAt(), now).toSeconds()) : 0;
	}

	private static @Nullable Long answeredAt(ListedCall call) {
		return (call.answeredAt() != null) ? call.answeredAt().getEpochSecond() : null;
	}

}
