package org.signaling.api.call.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.signaling.api.call.CallIds;
import org.signaling.api.call.CallsProperties;
import org.signaling.api.call.MediaControl;
import org.signaling.api.call.PbxEvent;
import org.signaling.api.call.internal.CallControlStore.Control;
import org.signaling.api.events.EventTypes;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.Failures;
import org.signaling.api.shared.Leadership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * What Asterisk reports after a call control action, applied to its state and announced: an attended transfer's
 * target answering or hanging up, the call ending mid-transfer, a supervisor's leg answering or hanging up; and an
 * attended transfer whose target rang for its {@code timeout} is cancelled. A leader's duty ({@link Leadership}), as
 * the call lifecycle is.
 */
@Component
class MediaProgress {

	private static final Logger log = LoggerFactory.getLogger(MediaProgress.class);

	/** Ringing transfers looked at per second: far above what agents start. */
	private static final int TIMEOUT_BATCH = 100;

	private static final int PURGE_BATCH = 10_000;

	private final CallMedia media;

	private final CallRegistry registry;

	private final MediaControl control;

	private final Leadership leadership;

	private final TaskScheduler scheduler;

	private final Clock clock;

	private final ControlRequests requests;

	private final CallsProperties properties;

	private final CallControlStore store;

	MediaProgress(CallMedia media, CallControlStore store, CallRegistry registry, MediaControl control,
			Leadership leadership, TaskScheduler scheduler, Clock clock, ControlRequests requests,
			CallsProperties properties) {
		this.store = store;
		this.requests = requests;
		this.properties = properties;
		this.media = media;
		this.registry = registry;
		this.control = control;
		this.leadership = leadership;
		this.scheduler = scheduler;
		this.clock = clock;
	}

	@EventListener(ApplicationReadyEvent.class)
	void start() {
		scheduler.scheduleWithFixedDelay(this::timeOutTransfers, Duration.ofSeconds(1));
		scheduler.scheduleWithFixedDelay(this::purge, Duration.ofHours(1));
	}

	/**
	 * Controls untouched for {@code signaling.calls.history-retention} and Idempotency-Keys past their window are
	 * deleted, a bounded batch an hour (far more than agents create).
	 */
	void purge() {
		if (!leadership.isLeader()) {
			return;
		}
		Instant now = clock.instant();
		try {
			int controls = store.deleteUpdatedBefore(now.minus(properties.historyRetention()), PURGE_BATCH);
			int keys = requests.deleteCreatedBefore(now.minus(properties.idempotencyWindow()), PURGE_BATCH);
			if (controls + keys > 0) {
				log.info("Deleted {} old call controls and {} expired Idempotency-Keys of call control", controls,
						keys);
			}
		}
		catch (DataAccessException ex) {
			log.warn("Could not delete old call controls: {}", Failures.describe(ex));
		}
	}

	@EventListener
	void onPbxEvent(PbxEvent event) {
		if (!leadership.isLeader()) {
			return;
		}
		try {
			if (event instanceof PbxEvent.LegAnswered answered) {
				legAnswered(answered.callId(), answered.uniqueId());
			}
			else if (event instanceof PbxEvent.LegHungUp hungUp) {
				legHungUp(hungUp.callId(), hungUp.uniqueId());
			}
			else if (event instanceof PbxEvent.MonitorAnswered answered) {
				monitor(answered.monitorId(), "ringing", "active", EventTypes.CALL_MONITOR_ACTIVE);
			}
			else if (event instanceof PbxEvent.MonitorEnded ended) {
				monitor(ended.monitorId(), null, "ended", EventTypes.CALL_MONITOR_ENDED);
			}
		}
		catch (DataAccessException ex) {
			log.warn("Could not store the progress of a call control ({}): {}", event, Failures.describe(ex));
		}
	}

	/** A leg that is neither the agent's nor the customer's answering while a transfer rings: its target. */
	private void legAnswered(String callId, String uniqueId) {
		Optional<Control> ringing = transfer(callId, "ringing");
		if (ringing.isEmpty() || isAgentOrCustomer(callId, uniqueId)) {
			return;
		}
		media.transferProgress(ringing.get(), "answered", uniqueId, EventTypes.CALL_TRANSFER_ANSWERED);
	}

	private void legHungUp(String callId, String uniqueId) {
		Optional<Control> active = transfer(callId, "ringing").or(() -> transfer(callId, "answered"));
		if (active.isEmpty()) {
			return;
		}
		if (uniqueId.equals(callId)) {
			// the agent left on its own (its phone hung up): Asterisk completes the transfer
			media.transferProgress(active.get(), "completed", null, EventTypes.CALL_TRANSFER_COMPLETED);
		}
		else if (isAgentOrCustomer(callId, uniqueId)) {
			media.transferProgress(active.get(), "abandoned", null, EventTypes.CALL_TRANSFER_ABANDONED);
		}
		else {
			// the target hung up or never answered
			media.transferProgress(active.get(), "failed", uniqueId, EventTypes.CALL_TRANSFER_FAILED);
		}
	}

	private Optional<Control> transfer(String callId, String state) {
		return store
			.ofCall(callId, CallControlStore.TRANSFER)
			.stream()
			.filter((transfer) -> state.equals(transfer.state()) && "attended".equals(transfer.mode()))
			.findFirst();
	}

	private boolean isAgentOrCustomer(String callId, String uniqueId) {
		if (uniqueId.equals(callId)) {
			return true;
		}
		return registry.find(callId)
			.flatMap((call) -> call.channels().stream().filter((leg) -> !leg.uniqueId().equals(callId)).findFirst())
			.map((customer) -> customer.uniqueId().equals(uniqueId))
			.orElse(false);
	}

	private void monitor(String monitorId, @Nullable String from, String to, String type) {
		if (!CallIds.isMonitorId(monitorId)) {
			return;
		}
		store
			.find(monitorId)
			.filter((monitor) -> !"ended".equals(monitor.state()) && (from == null || from.equals(monitor.state())))
			.ifPresent((monitor) -> media.monitorProgress(monitor, to, type));
	}

	/** Attended transfers ringing longer than their timeout: cancelled, and failed. */
	void timeOutTransfers() {
		if (!leadership.isLeader()) {
			return;
		}
		Instant now = clock.instant();
		try {
			List<Control> ringing = store.inState(CallControlStore.TRANSFER, "ringing", TIMEOUT_BATCH);
			for (Control transfer : ringing) {
				if (transfer.createdAt().plus(CallMedia.transferTimeout(transfer)).isAfter(now)) {
					continue;
				}
				registry.find(transfer.callId()).ifPresent((call) -> cancel(call, transfer));
			}
		}
		catch (DataAccessException ex) {
			log.warn("Could not look at ringing transfers: {}", Failures.describe(ex));
		}
	}

	private void cancel(CallRecord call, Control transfer) {
		// as CallMedia does: the target's hang-up that follows is not a failure of its own
		store.save(transfer.with(CallMedia.CANCELLING, transfer.mode(), transfer.extra(), clock.instant()));
		try {
			control.cancelAttendedTransfer(CallMedia.legsOf(call));
		}
		catch (BackendUnavailableException | IllegalArgumentException | ErrorResponseException ex) {
			log.warn("Could not cancel transfer {} of call {} after its timeout: {}", transfer.id(), call.callId(),
					ex.getMessage());
		}
		media.transferProgress(transfer, "failed", null, EventTypes.CALL_TRANSFER_FAILED);
	}

}
