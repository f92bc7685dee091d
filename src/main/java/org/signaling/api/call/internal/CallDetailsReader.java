package org.signaling.api.call.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.signaling.api.call.ActiveCall;
import org.signaling.api.call.CallDetailsResponse;
import org.signaling.api.call.CallIds;
import org.signaling.api.call.CallNotFoundException;
import org.signaling.api.call.DialogView;
import org.signaling.api.call.InvalidCallRequestException;
import org.signaling.api.dn.SipUris;
import org.signaling.api.shared.CallerScope;
import org.springframework.stereotype.Component;

/**
 * A call's state and correlation record ({@code GET /api/calls/{call_id}}),
 * from the registry or Kamailio's dialogs.
 */
@Component
public class CallDetailsReader {

	private final CallRegistry registry;

	private final DialogView dialogView;

	private final SipUris sipUris;

	private final CallerScope callerScope;

	private final Clock clock;

	CallDetailsReader(CallRegistry registry, DialogView dialogView, SipUris sipUris,
			CallerScope callerScope, Clock clock) {
		this.registry = registry;
		this.dialogView = dialogView;
		this.sipUris = sipUris;
		this.callerScope = callerScope;
		this.clock = clock;
	}

	/**
	 * @throws InvalidCallRequestException 400 for a malformed call id
	 * @throws CallNotFoundException 404 when no such call is known or live, and for a caller confined to its DN
	 * ({@link CallerScope}) when that DN is not in the call: the same answer, so that it learns nothing of others'
	 */
	public CallDetailsResponse details(String callId) {
		if (!CallIds.isValid(callId)) {
			throw new InvalidCallRequestException("Invalid call_id");
		}
		String confined = callerScope.confinedDn();
		Optional<CallRecord> ours = CallIds.isOurs(callId) ? registry.find(callId) : Optional.empty();
		if (ours.isPresent()) {
			CallRecord call = ours.get();
			if (confined == null || call.dns().contains(confined)) {
				return detailsOf(call);
			}
			throw new CallNotFoundException(callId);
		}
		return LiveDialogs.find(dialogView, callId)
			.filter((dialog) -> confined == null || dialog.dns().contains(confined))
			.map(this::detailsOf)
			.orElseThrow(() -> new CallNotFoundException(callId));
	}

	private CallDetailsResponse detailsOf(CallRecord call) {
		List<String> sipCallIds = new ArrayList<>();
		String dialogId = call.dialogId();
		String genesysCallUuid = null;
		if (call.sipCallId() != null) {
			sipCallIds.add(call.sipCallId());
		}
		if (call.status().isLive()) {
			for (ActiveCall dialog : LiveDialogs.ofApiCall(dialogView, call.callId())) {
				if (!sipCallIds.contains(dialog.sipCallId())) {
					sipCallIds.add(dialog.sipCallId());
				}
				dialogId = (dialogId != null) ? dialogId : dialog.dialogId();
				genesysCallUuid = (genesysCallUuid != null) ? genesysCallUuid : dialog.genesysCallUuid();
			}
		}
		List<CallDetailsResponse.Channel> channels = call.channels()
			.stream()
			.map((leg) -> new CallDetailsResponse.Channel(leg.channel(), leg.uniqueId()))
			.toList();
		return new CallDetailsResponse(call.callId(), "api", call.status().jsonName(),
				sipUris.of(call.fromDn()), sipUris.of(call.destination()), call.fromDn(),
				sipCallIds, dialogId,
				call.placedByKamailio() ? null : new CallDetailsResponse.Asterisk(call.callId(), call.callId(),
						channels, call.pbxNode()),
				call.createdAt().getEpochSecond(), epochSeconds(call.answeredAt()), epochSeconds(call.endedAt()),
				call.endCause(), call.hangupCause(), duration(call.answeredAt(), call.endedAt()), call.originator(),
				genesysCallUuid);
	}

	private CallDetailsResponse detailsOf(ActiveCall dialog) {
		return new CallDetailsResponse(dialog.listedCallId(), "kamailio",
				dialog.state().jsonName(), dialog.fromUri(), dialog.toUri(), dialog.fromDn(),
						List.of(dialog.sipCallId()),
				dialog.dialogId(), null, dialog.createdAt().getEpochSecond(), epochSeconds(dialog.answeredAt()), null,
				null, null, duration(dialog.answeredAt(), null), null, dialog.genesysCallUuid());
	}

	private long duration(@Nullable Instant answeredAt, @Nullable Instant endedAt) {
		if (answeredAt == null) {
			return 0;
		}
		Instant end = (endedAt != null) ? endedAt : clock.instant();
		return Math.max(0, Duration.between(answeredAt, end).toSeconds());
	}

	private static @Nullable Long epochSeconds(@Nullable Instant instant) {
		return (instant != null) ? instant.getEpochSecond() : null;
	}

}
