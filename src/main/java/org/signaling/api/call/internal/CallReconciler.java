package org.signaling.api.call.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.signaling.api.call.ActiveCall;
import org.signaling.api.call.ActiveCalls;
import org.signaling.api.call.CallsProperties;
import org.signaling.api.call.DialogView;
import org.signaling.api.call.Pbx;
import org.signaling.api.call.PbxChannel;
import org.signaling.api.call.PbxEvent;
import org.signaling.api.call.PbxRejectedException;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.Leadership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Heals what events missed. On a schedule, and right after the AMI session comes back, every live API call is
 * looked for among Asterisk's channels and Kamailio's dialogs; a call neither knows any more ends with cause
 * "reconciled". It also records which Kamailio dialog carries each call, and frees expired Idempotency-Keys.
 */
@Component
public class CallReconciler {

	private static final Logger log = LoggerFactory.getLogger(CallReconciler.class);

	private static final Duration KEY_PURGE_INTERVAL = Duration.ofMinutes(10);

	private final CallRegistry registry;

	private final IdempotencyKeys idempotencyKeys;

	private final Pbx pbx;

	private final DialogView dialogView;

	private final CallsProperties properties;

	private final TaskScheduler scheduler;

	private final Clock clock;

	private volatile Instant lastKeyPurge = Instant.EPOCH;

	private static final Duration DATABASE_SYNC_INTERVAL = Duration.ofSeconds(1);

	private final Leadership leadership;

	CallReconciler(CallRegistry registry, IdempotencyKeys idempotencyKeys, Pbx pbx, DialogView dialogView,
			CallsProperties properties, TaskScheduler scheduler, Clock clock, Leadership leadership) {
		this.leadership = leadership;
		this.registry = registry;
		this.idempotencyKeys = idempotencyKeys;
		this.pbx = pbx;
		this.dialogView = dialogView;
		this.properties = properties;
		this.scheduler = scheduler;
		this.clock = clock;
	}

	@EventListener(ApplicationReadyEvent.class)
	void schedule() {
		scheduler.scheduleWithFixedDelay(this::reconcileSafely, properties.reconcileInterval());
		scheduler.scheduleWithFixedDelay(this::syncWithDatabaseSafely, DATABASE_SYNC_INTERVAL);
	}

	/** Every replica, every second: the live calls the other replicas placed, changed or ended. */
	private void syncWithDatabaseSafely() {
		try {
			registry.syncWithDatabase();
		}
		catch (RuntimeException ex) {
			// The database is away: reads go on from memory, and the next sync catches up.
			log.debug("Could not read the live calls of the database: {}", ex.getMessage());
		}
	}

	@EventListener
	void onReconnected(PbxEvent.Reconnected event) {
		// Not on the AMI event thread: reconciling asks Asterisk for its channels.
		scheduler.schedule(this::reconcileSafely, clock.instant());
	}

	private void reconcileSafely() {
		try {
			// This replica's own Asterisk events; the rest is a leader's duty (one replica ends what is gone).
			registry.retryUnappliedEvents();
			if (leadership.isLeader()) {
				reconcile();
			}
		}
		catch (RuntimeException ex) {
			log.error("Call reconciliation failed", ex);
		}
	}

	public synchronized void reconcile() {
		Instant now = clock.instant();
		registry.retryUnappliedEvents();
		purgeExpiredKeys(now);
		registry.forgetHangupsBefore(now.minus(properties.maxRingTimeout()).minus(properties.reconcileGrace()));
		List<CallRecord> live = List.copyOf(registry.live());
		if (live.isEmpty()) {
			return;
		}
		Map<Optional<String>, Optional<List<PbxChannel>>> channelsByNode = new HashMap<>();
		ActiveCalls dialogs = dialogs();
		for (CallRecord call : live) {
			if (call.placedByKamailio()) {
				// Kamailio's dialogs are all there is of it: ClickToDialTracker follows and ends it.
				continue;
			}
			Optional<ActiveCall> dialog = (dialogs != null) ? dialogs.all()
				.stream()
				.filter((candidate) -> call.callId().equals(candidate.apiCallId()))
				.findFirst() : Optional.empty();
			dialog.filter((found) -> call.dialogId() == null)
				.ifPresent((found) -> registry.update(call.callId(),
						(record) -> record.withDialog(found.sipCallId(), found.dialogId())));
			if (call.createdAt().isAfter(now.minus(properties.reconcileGrace())) || dialog.isPresent()) {
				continue;
			}
			// Asked of the call's own node (once per pass): another node being away says nothing about this call.
			List<PbxChannel> channels = channelsByNode
				.computeIfAbsent(Optional.ofNullable(call.pbxNode()), (node) -> Optional.ofNullable(channels(node)))
				.orElse(null);
			boolean inAsterisk = channels != null && channels.stream()
				.anyMatch((channel) -> call.callId().equals(channel.uniqueId())
						|| call.callId().equals(channel.linkedId()));
			// Without Asterisk's answer only a dialog Kamailio carried and lost tells that the call is over.
			boolean gone = (channels != null) ? !inAsterisk : (dialogs != null && call.sipCallId() != null);
			if (gone) {
				registry.end(call.callId(), EndCauses.RECONCILED);
				log.info("Call {} ended by reconciliation: neither Asterisk nor Kamailio has it", call.callId());
			}
		}
	}

	/** A node's channels (every node's for an unknown node), or {@code null} when they cannot be had. */
	private @Nullable List<PbxChannel> channels(Optional<String> node) {
		try {
			return pbx.channels(node.orElse(null));
		}
		catch (BackendUnavailableException | PbxRejectedException ex) {
			return null;
		}
	}

	private @Nullable ActiveCalls dialogs() {
		try {
			return dialogView.activeCalls().value();
		}
		catch (BackendUnavailableException ex) {
			return null;
		}
	}

	private void purgeExpiredKeys(Instant now) {
		if (Duration.between(lastKeyPurge, now).compareTo(KEY_PURGE_INTERVAL) < 0) {
			return;
		}
		lastKeyPurge = now;
		int released = idempotencyKeys.releaseExpired(now);
		if (released > 0) {
			log.debug("Released {} Idempotency-Keys older than {}", released, properties.idempotencyWindow());
		}
	}

}
