package org.signaling.api.call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.signaling.api.dn.DnNotFoundException;
import org.signaling.api.dn.DnService;
import org.signaling.api.dn.DnSyntax;
import org.signaling.api.shared.Observed;
import org.springframework.stereotype.Service;

/** Answers call questions from the live dialog view; never calls a backend itself. */
@Service
public class CallQueryService {

	private final DialogView dialogView;

	private final DnService dnService;

	private final Clock clock;

	CallQueryService(DialogView dialogView, DnService dnService, Clock clock) {
		this.dialogView = dialogView;
		this.dnService = dnService;
		this.clock = clock;
	}

	public Observed<ActiveCallsResponse> activeCalls() {
		return dialogView.activeCalls().map((calls) -> {
			Map<String, Integer> byState = new LinkedHashMap<>();
			for (CallState state : CallState.values()) {
				byState.put(state.jsonName(), calls.count(state));
			}
			return new ActiveCallsResponse(calls.count(), epochSeconds(clock.instant()), byState);
		});
	}

	/**
	 * The active calls of one DN. A DN that is registered, in the directory, or in a call is known; any other is 404.
	 */
	public Observed<DnCallsResponse> callsOf(String dn) {
		DnSyntax.requireValid(dn);
		Observed<ActiveCalls> calls = dialogView.activeCalls();
		List<ActiveCall> ofDn = calls.value().of(dn);
		if (ofDn.isEmpty() && !dnService.isKnown(dn)) {
			throw new DnNotFoundException(dn);
		}
		Instant now = clock.instant();
		List<DnCallsResponse.Call> views = ofDn.stream().map((call) -> view(call, dn, now)).toList();
		return calls.map((ignored) -> new DnCallsResponse(dn, views, views.size()));
	}

	private static DnCallsResponse.Call view(ActiveCall call, String dn, Instant now) {
		long duration = (call.answeredAt() != null) ? Math.max(0, Duration.between(call.answeredAt(), now).toSeconds())
				: 0;
		Long answeredAt = (call.answeredAt() != null) ? call.answeredAt().getEpochSecond() : null;
		String direction = dn.equals(call.fromDn()) ? "outbound" : "inbound";
		return new DnCallsResponse.Call(call.callId(), call.fromUri(), call.toUri(), call.state().jsonName(), duration,
				direction, call.createdAt().getEpochSecond(), answeredAt, call.dialogId());
	}

	private static String epochSeconds(Instant instant) {
		return Long.toString(instant.getEpochSecond());
	}

}
