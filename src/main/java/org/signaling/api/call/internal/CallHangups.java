package org.signaling.api.call.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.signaling.api.call.ActiveCall;
import org.signaling.api.call.CallIds;
import org.signaling.api.call.CallNotFoundException;
import org.signaling.api.call.CallPermissions;
import org.signaling.api.call.CallsProperties;
import org.signaling.api.call.DialogControl;
import org.signaling.api.call.DialogView;
import org.signaling.api.call.HangupIncomplete;
import org.signaling.api.call.InvalidCallRequestException;
import org.signaling.api.call.LegRelease;
import org.signaling.api.call.Pbx;
import org.signaling.api.shared.BackendUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Ends a call by any id the API has shown: one it placed (through Asterisk, or through Kamailio when Asterisk is
 * down, or a click-to-dial Kamailio placed) or one only Kamailio carries (BYE both ways, or CANCEL while it rings).
 */
@Component
public class CallHangups {

	private static final Logger log = LoggerFactory.getLogger(CallHangups.class);

	private final CallRegistry registry;

	private final Pbx pbx;

	private final DialogView dialogView;

	private final DialogControl dialogControl;

	private final CallPermissions permissions;

	private final CallsProperties properties;

	CallHangups(CallRegistry registry, Pbx pbx, DialogView dialogView, DialogControl dialogControl,
			CallPermissions permissions, CallsProperties properties) {
		this.properties = properties;
		this.registry = registry;
		this.pbx = pbx;
		this.dialogView = dialogView;
		this.dialogControl = dialogControl;
		this.permissions = permissions;
	}

	/**
	 * Ends the call; ending an ended API call again succeeds too.
	 * @throws InvalidCallRequestException 400 for a missing or malformed call id
	 * @throws CallNotFoundException 404 when no such call is known or live
	 * @return the parties of the call's Kamailio dialogs that did not answer their BYE within
	 * {@code signaling.calls.hangup-timeout} (the Kamailio adapter reports them as {@link HangupIncomplete} and keeps
	 * retrying them); empty when every party was released, and for calls Asterisk hung up
	 */
	public List<LegRelease> hangUp(@Nullable String callId) {
		if (callId == null || callId.isBlank()) {
			throw InvalidCallRequestException.missing("call_id");
		}
		if (!CallIds.isValid(callId)) {
			throw new InvalidCallRequestException("Invalid call_id");
		}
		Optional<CallRecord> ours = CallIds.isOurs(callId) ? registry.find(callId) : Optional.empty();
		if (ours.isPresent()) {
			permissions.checkHangup(ours.get().dns());
			return ours.get().status().isLive() ? hangUpApiCall(ours.get()) : List.of();
		}
		Optional<ActiveCall> dialog = LiveDialogs.find(dialogView, callId);
		dialog.ifPresent((found) -> permissions.checkHangup(found.dns()));
		Optional<List<LegRelease>> legs = dialog.isPresent() ? endAndConfirm(dialog.get()) : Optional.empty();
		if (legs.isEmpty()) {
			throw new CallNotFoundException(callId);
		}
		log.info("Call {} (Kamailio dialog {}) ended over the API", callId, dialog.get().dialogId());
		return notReleased(legs.get());
	}

	/** Ends a dialog, waiting (bounded) for its parties' answers; empty when Kamailio no longer had it. */
	private Optional<List<LegRelease>> endAndConfirm(ActiveCall dialog) {
		return dialogControl.endAndConfirm(dialog.sipCallId(), properties.hangupTimeout());
	}

	private static List<LegRelease> notReleased(List<LegRelease> legs) {
		return legs.stream().filter((leg) -> !leg.released()).toList();
	}

	/** The parties of the call's Kamailio dialogs that were not released (none for a call Asterisk hung up). */
	private List<LegRelease> hangUpApiCall(CallRecord call) {
		registry.hangUpAskedByApi(call.callId());
		List<LegRelease> notReleased = call.placedByKamailio() ? hangUpClickToDial(call) : hangUpThroughAsterisk(call);
		registry.end(call.callId(), EndCauses.HANGUP_API);
		log.info("Call {} hung up over the API", call.callId());
		return notReleased;
	}

	private List<LegRelease> hangUpThroughAsterisk(CallRecord call) {
		try {
			for (String uniqueId : call.uniqueIds()) {
				pbx.hangup(call.pbxNode(), uniqueId);
			}
			return List.of();
		}
		catch (BackendUnavailableException ex) {
			// Asterisk is away; Kamailio can still end the agent's leg (BYE both ways), which ends the call.
			Optional<ActiveCall> dialog = LiveDialogs.find(dialogView, call.callId());
			Optional<List<LegRelease>> legs = dialog.isPresent() ? endAndConfirm(dialog.get()) : Optional.empty();
			return notReleased(legs.orElseThrow(() -> ex));
		}
	}

	/**
	 * A click-to-dial call has up to two dialogs: Kamailio's INVITE to the agent (while it rings or until the REFER
	 * is done) and the agent's call to the destination; each is ended (BYE both ways, or CANCEL while it rings). A
	 * dialog that appears later (the agent following the REFER right now) is ended by {@link ClickToDialTracker}.
	 */
	private List<LegRelease> hangUpClickToDial(CallRecord call) {
		List<LegRelease> notReleased = new ArrayList<>();
		for (ActiveCall dialog : LiveDialogs.ofApiCall(dialogView, call.callId())) {
			endAndConfirm(dialog).ifPresent((legs) -> notReleased.addAll(notReleased(legs)));
		}
		return notReleased;
	}

}
