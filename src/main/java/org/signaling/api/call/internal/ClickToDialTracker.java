package org.signaling.api.call.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.signaling.api.call.ActiveCall;
import org.signaling.api.call.ActiveCalls;
import org.signaling.api.call.CallState;
import org.signaling.api.call.CallsProperties;
import org.signaling.api.call.DialogControl;
import org.signaling.api.call.DialogView;
import org.signaling.api.call.EndedDialog;
import org.signaling.api.dn.DnService;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.Failures;
import org.signaling.api.shared.Leadership;
import org.signaling.api.shared.Observed;
import org.signaling.api.shared.ViewRefreshed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Follows the calls Kamailio placed ({@code signaling.calls.originator: kamailio}, {@code dlg.bridge_dlg}), which
 * report no outcome, from Kamailio's dialogs as the live view lists them, on every refresh. A click-to-dial has two
 * dialogs, both carrying the call id: the controller's INVITE to the agent (From "controller"), then, once the agent
 * answered and was REFERred, the agent's own call to the destination (From the agent).
 * <ul>
 * <li>the INVITE to the agent rings → "ringing"; still ringing after the ring timeout → CANCEL, "no_answer";</li>
 * <li>the agent's call to the destination exists → "ringing"; answered → "confirmed";</li>
 * <li>no dialog left: "normal_clearing" after the destination answered, "destination_rejected" when it was tried,
 * "rejected" when the agent never answered; when the agent answered but no call to the destination appeared within
 * {@code reconcile-grace}: "destination_not_registered" (Kamailio answers 404 before a dialog exists) or
 * "transfer_failed".</li>
 * </ul>
 * A dialog of a call the API hung up that shows up afterwards (the agent following the REFER right then) is ended too.
 */
@Component
public class ClickToDialTracker {

	private static final Logger log = LoggerFactory.getLogger(ClickToDialTracker.class);

	/** How often one dialog of a hung-up call is asked to end again while it lingers. */
	private static final Duration END_RETRY = Duration.ofSeconds(2);

	private final CallRegistry registry;

	private final DialogView dialogView;

	private final DialogControl dialogControl;

	private final DnService dnService;

	private final CallsProperties properties;

	private final Clock clock;

	private final Map<String, Progress> progress = new ConcurrentHashMap<>();

	private final Map<String, Instant> endRequested = new ConcurrentHashMap<>();

	private final Counter failures;

	private final Leadership leadership;

	ClickToDialTracker(CallRegistry registry, DialogView dialogView, DialogControl dialogControl, DnService dnService,
			CallsProperties properties, Clock clock, MeterRegistry meters, Leadership leadership) {
		this.leadership = leadership;
		this.failures = CallSyncFailures.counter(meters);
		this.registry = registry;
		this.dialogView = dialogView;
		this.dialogControl = dialogControl;
		this.dnService = dnService;
		this.properties = properties;
		this.clock = clock;
	}

	@EventListener
	void onViewRefreshed(ViewRefreshed refreshed) {
		// A leader's duty: one replica sends the CANCELs and decides the outcomes.
		if (ViewRefreshed.DIALOGS.equals(refreshed.part()) && leadership.isLeader()) {
			track();
		}
	}

	synchronized void track() {
		ActiveCalls dialogs;
		Instant observedAt;
		try {
			Observed<ActiveCalls> observed = dialogView.activeCalls();
			dialogs = observed.value();
			observedAt = observed.observedAt();
		}
		catch (BackendUnavailableException ex) {
			// Nothing can be concluded from a stale view.
			return;
		}
		Instant now = clock.instant();
		List<String> live = new ArrayList<>();
		for (CallRecord call : registry.live()) {
			if (call.placedByKamailio()) {
				live.add(call.callId());
				try {
					follow(call, dialogs, observedAt, now);
				}
				catch (RuntimeException ex) {
					// This call is followed again at the next refresh; the others are not held up.
					failures.increment();
					log.warn("Following call {} failed: {}", call.callId(), Failures.describe(ex));
				}
			}
		}
		progress.keySet().retainAll(live);
		try {
			endLeftovers(dialogs, now);
		}
		catch (RuntimeException ex) {
			failures.increment();
			log.warn("Ending leftover dialogs failed: {}", Failures.describe(ex));
		}
	}

	private void follow(CallRecord call, ActiveCalls dialogs, Instant observedAt, Instant now) {
		Progress seen = progress.computeIfAbsent(call.callId(), (id) -> new Progress());
		@Nullable ActiveCall controllerLeg = null;
		@Nullable ActiveCall destinationLeg = null;
		for (ActiveCall dialog : dialogs.all()) {
			if (call.callId().equals(dialog.apiCallId())) {
				if (call.fromDn().equals(dialog.fromDn())) {
					destinationLeg = dialog;
				}
				else {
					controllerLeg = dialog;
				}
			}
		}
		for (EndedDialog ended : dialogs.ended()) {
			if (call.callId().equals(ended.apiCallId())) {
				seen.any = true;
				if (call.fromDn().equals(ended.fromDn())) {
					seen.destinationTried = true;
					seen.destinationAnswered |= ended.answered();
				}
				else {
					seen.agentAnswered |= ended.answered();
				}
			}
		}
		if (controllerLeg != null) {
			seen.any = true;
			seen.agentAnswered |= answered(controllerLeg);
			if (controllerLeg.state() != CallState.TRYING) {
				ringing(call);
			}
		}
		if (destinationLeg != null) {
			ActiveCall leg = destinationLeg;
			seen.any = true;
			seen.agentAnswered = true;
			seen.destinationTried = true;
			ringing(call);
			registry.update(call.callId(), (record) -> record.withDialog(leg.sipCallId(), leg.dialogId()));
			if (answered(leg)) {
				seen.destinationAnswered = true;
				Instant at = (leg.answeredAt() != null) ? leg.answeredAt() : now;
				registry.update(call.callId(), (record) -> record.answered(at));
			}
		}
		if (controllerLeg != null || destinationLeg != null) {
			seen.quietSince = null;
		}
		else if (seen.quietSince == null) {
			seen.quietSince = now;
		}
		Instant ringUntil = call.createdAt().plusSeconds(call.ringTimeoutSeconds());
		if (!seen.agentAnswered && destinationLeg == null && now.isAfter(ringUntil)) {
			if (controllerLeg != null) {
				// The agent's phone rang long enough: stop it. Should it answer right now all the same, what it
				// sets up is ended too (endLeftovers).
				endDialog(controllerLeg.sipCallId(), now);
				registry.hangUpLateLegs(call.callId());
				end(call, EndCauses.NO_ANSWER);
				return;
			}
			if (!seen.any && now.isAfter(ringUntil.plus(properties.reconcileGrace()))) {
				// Not even a late view showed any of it.
				registry.hangUpLateLegs(call.callId());
				end(call, neverSeen(call));
				return;
			}
		}
		if (controllerLeg == null && destinationLeg == null && !seen.any
				&& observedAt.isAfter(call.createdAt().plus(properties.reconcileGrace()))) {
			// Kamailio lists a ringing agent for as long as it rings, and an ended dialog for about a second: the
			// INVITE to the agent came and went between two looks. Either the agent refused at once, or it answered
			// and its call to the destination was refused before it became a dialog (404: not registered).
			end(call, isRegistered(call.destination()) ? EndCauses.FAILED : EndCauses.DESTINATION_NOT_REGISTERED);
			return;
		}
		if (controllerLeg != null || destinationLeg != null || !seen.any) {
			return;
		}
		// No dialog left.
		if (seen.destinationAnswered) {
			end(call, EndCauses.NORMAL_CLEARING);
		}
		else if (seen.destinationTried) {
			end(call, EndCauses.DESTINATION_REJECTED);
		}
		else if (!seen.agentAnswered) {
			end(call, EndCauses.REJECTED);
		}
		else if (Duration.between(seen.quietSince, now).compareTo(properties.reconcileGrace()) >= 0) {
			// The agent answered and was REFERred, and its call to the destination never became a dialog.
			end(call, isRegistered(call.destination()) ? EndCauses.TRANSFER_FAILED
					: EndCauses.DESTINATION_NOT_REGISTERED);
		}
	}

	/**
	 * Nothing of the call showed up in Kamailio's dialogs: it never started, or (after a restart of this service) it
	 * got somewhere and ended while nobody was looking.
	 */
	private static String neverSeen(CallRecord call) {
		return (call.status() == CallState.INITIATED) ? EndCauses.FAILED : EndCauses.RECONCILED;
	}

	private void ringing(CallRecord call) {
		registry.update(call.callId(),
				(record) -> (record.status() == CallState.INITIATED) ? record.withStatus(CallState.RINGING) : record);
	}

	private void end(CallRecord call, String cause) {
		registry.end(call.callId(), cause);
		progress.remove(call.callId());
		log.info("Call {} ({} -> {}, placed by Kamailio) ended: {}", call.callId(), call.fromDn(), call.destination(),
				cause);
	}

	/** Dialogs still carrying the id of a call that has ended for us (hung up, timed out): end them. */
	private void endLeftovers(ActiveCalls dialogs, Instant now) {
		endRequested.values().removeIf((at) -> at.isBefore(now.minus(properties.maxRingTimeout())));
		for (ActiveCall dialog : dialogs.all()) {
			String callId = dialog.apiCallId();
			if (callId == null || !registry.isHungUpByApi(callId)) {
				continue;
			}
			CallRecord call = registry.find(callId).orElse(null);
			if (call != null && call.placedByKamailio() && !call.status().isLive()) {
				endDialog(dialog.sipCallId(), now);
			}
		}
	}

	private void endDialog(String sipCallId, Instant now) {
		Instant last = endRequested.get(sipCallId);
		if (last != null && last.isAfter(now.minus(END_RETRY))) {
			return;
		}
		endRequested.put(sipCallId, now);
		try {
			dialogControl.end(sipCallId);
		}
		catch (BackendUnavailableException ex) {
			log.warn("Could not end dialog {}: {}", sipCallId, ex.getMessage());
		}
	}

	private boolean isRegistered(String destination) {
		try {
			return dnService.isRegistered(destination);
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static boolean answered(ActiveCall dialog) {
		return dialog.state() == CallState.ANSWERED || dialog.state() == CallState.CONFIRMED;
	}

	/** What the dialogs of one call have shown so far. */
	private static final class Progress {

		boolean any;

		boolean agentAnswered;

		boolean destinationTried;

		boolean destinationAnswered;

		@Nullable Instant quietSince;

	}

}
