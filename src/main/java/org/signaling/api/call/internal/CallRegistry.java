package org.signaling.api.call.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.signaling.api.call.CallState;
import org.signaling.api.call.MakeCallCommand;
import org.signaling.api.call.Pbx;
import org.signaling.api.call.PbxEvent;
import org.signaling.api.call.PbxRejectedException;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;

/**
 * The calls placed through the API. Live calls are kept in memory for cheap reads and written through to the
 * database on every change; ended calls are read from the database. PBX events move a call through its states.
 * <p>
 * Every replica keeps every live call, whichever replica placed it: {@link #syncWithDatabase()} (every second)
 * brings in the calls other replicas placed or changed, and drops those another replica ended. So a call placed
 * through one replica is listed, hung up and followed through any other within a second.
 */
@Component
public class CallRegistry {

	private static final Logger log = LoggerFactory.getLogger(CallRegistry.class);

	/** Bounds what a long database outage can keep in memory. */
	private static final int MAX_UNAPPLIED = 10_000;

	private final Map<String, CallRecord> live = new ConcurrentHashMap<>();

	/** Counts changes to {@link #live}, bumped after each: listings built for a version are current until it moves. */
	private final AtomicLong liveVersion = new AtomicLong();

	/** PBX events not yet stored, oldest first (guarded by itself). */
	private final Deque<PbxEvent> unapplied = new ArrayDeque<>();

	private boolean applyFailing;

	private final Counter failures;

	private final Counter droppedEvents;

	/** Calls the API hung up, with when: a leg of one that shows up late is hung up at once. */
	private final Map<String, Instant> hungUpByApi = new ConcurrentHashMap<>();

	private final CallRepository repository;

	private final Pbx pbx;

	private final Clock clock;

	private final ApplicationEventPublisher publisher;

	CallRegistry(CallRepository repository, Pbx pbx, Clock clock, ApplicationEventPublisher publisher,
			MeterRegistry meters) {
		this.repository = repository;
		this.pbx = pbx;
		this.clock = clock;
		this.publisher = publisher;
		this.failures = CallSyncFailures.counter(meters);
		this.droppedEvents = Counter.builder("signaling.calls.pbx_events.dropped")
			.description("Asterisk call events dropped: kept too long in a database outage, or impossible to store "
					+ "(reconciliation settles the calls)")
			.register(meters);
		// After a restart, what was live is live again until reconciliation says otherwise.
		repository.findLive().forEach((call) -> live.put(call.callId(), call));
	}

	/**
	 * Stores a call about to be dialed, placed now by {@code originator}.
	 * @param traceparent the placing request's trace context, which the call's events continue
	 * @throws org.springframework.dao.DuplicateKeyException when the Idempotency-Key is already taken
	 */
	public CallRecord open(String callId, MakeCallCommand command, String originator,
			IdempotencyKeys.@Nullable Key key, @Nullable String traceparent) {
		CallRecord call = CallRecord.initiated(callId, command, clock.instant(), originator, traceparent);
		add(call, key);
		return call;
	}

	/**
	 * Stores a new call before it is dialed, so that its first events find it.
	 * @throws org.springframework.dao.DuplicateKeyException when the Idempotency-Key is already taken
	 */
	public void add(CallRecord call, IdempotencyKeys.@Nullable Key key) {
		repository.insert(call, (key != null) ? key.value() : null, (key != null) ? key.requestDigest() : null);
		live.put(call.callId(), call);
		liveVersion.incrementAndGet();
	}

	public Optional<CallRecord> find(String callId) {
		CallRecord call = live.get(callId);
		return (call != null) ? Optional.of(call) : repository.find(callId);
	}

	/**
	 * Brings memory up to the database: live calls this replica does not hold (placed through another replica), live
	 * calls another replica changed, and calls another replica ended. A call this replica changed or ended while the
	 * database was read keeps its newer state here; an ended call is final in the database.
	 */
	void syncWithDatabase() {
		Map<String, CallRecord> before = Map.copyOf(live);
		Map<String, CallRecord> stored = new HashMap<>();
		repository.findLive().forEach((call) -> stored.put(call.callId(), call));
		boolean[] changed = new boolean[1];
		stored.forEach((callId, call) -> live.compute(callId, (id, current) -> {
			if (current != before.get(id) || call.equals(current)) {
				// changed or ended here meanwhile (newer than the row read), or nothing new
				return current;
			}
			changed[0] = true;
			return call;
		}));
		before.forEach((callId, seen) -> {
			if (!stored.containsKey(callId)
					&& repository.find(callId).map((call) -> !call.status().isLive()).orElse(false)) {
				changed[0] |= live.remove(callId, seen);
			}
		});
		if (changed[0]) {
			liveVersion.incrementAndGet();
		}
	}

	/** The live calls, for listings. */
	public Collection<CallRecord> live() {
		return List.copyOf(live.values());
	}

	/** Moves whenever the live calls change; read it before {@link #live()}. */
	long liveVersion() {
		return liveVersion.get();
	}

	/**
	 * Applies a change to a live call and stores it; a call that is no longer live leaves memory.
	 * @return the changed call, or empty when the call is not live
	 */
	Optional<CallRecord> update(String callId, UnaryOperator<CallRecord> change) {
		CallRecord[] result = new CallRecord[1];
		boolean[] changedAny = new boolean[1];
		live.computeIfPresent(callId, (id, call) -> {
			CallRecord changed = change.apply(call);
			if (!changed.equals(call)) {
				repository.update(changed);
				changedAny[0] = true;
			}
			result[0] = changed;
			return changed.status().isLive() ? changed : null;
		});
		if (changedAny[0]) {
			liveVersion.incrementAndGet();
			publisher.publishEvent(new CallRecordChanged(callId));
		}
		return Optional.ofNullable(result[0]);
	}

	/**
	 * Records the Asterisk node that took the call, so that its legs are hung up there from any replica. When that
	 * cannot be stored (the database is away), hang-ups ask every node instead, which ends the call all the same.
	 */
	public void placedOn(String callId, String node) {
		try {
			update(callId, (call) -> call.onNode(node));
		}
		catch (DataAccessException ex) {
			failures.increment();
			log.warn("Could not record that call {} is on Asterisk node {}: {}", callId, node, Failures.describe(ex));
		}
	}

	/** Announces a call once Asterisk has accepted it: from then on it exists for listings and events. */
	public void announce(String callId) {
		publisher.publishEvent(new CallRecordChanged(callId));
	}

	/** Remembers that this call is being ended, so that a leg Asterisk creates afterwards is hung up too. */
	public void hangUpLateLegs(String callId) {
		hungUpByApi.put(callId, clock.instant());
	}

	/**
	 * The API is hanging this call up: its late legs are hung up too, and, in the database, its end is "hangup_api"
	 * whichever replica records it.
	 */
	public void hangUpAskedByApi(String callId) {
		hangUpLateLegs(callId);
		repository.markHangupRequested(callId);
	}

	/** Whether the API ended this call recently: whatever of it still shows up is to be ended too. */
	boolean isHungUpByApi(String callId) {
		return hungUpByApi.containsKey(callId);
	}

	/** Forgets API hang-ups older than the cutoff: no leg of theirs can still appear. */
	void forgetHangupsBefore(Instant cutoff) {
		hungUpByApi.values().removeIf((at) -> at.isBefore(cutoff));
	}

	/** Ends a live call for a reason of ours ("hangup_api", "reconciled"). */
	public Optional<CallRecord> end(String callId, String cause) {
		Instant now = clock.instant();
		if (!live.containsKey(callId)) {
			// Placed through another replica less than a sync ago: ended here all the same, with this cause.
			repository.find(callId).filter((call) -> call.status().isLive()).ifPresent((call) -> {
				live.putIfAbsent(callId, call);
				liveVersion.incrementAndGet();
			});
		}
		return update(callId,
				(call) -> call.ended(call.answeredAt() != null ? CallState.ENDED : CallState.FAILED, cause, null,
						now));
	}

	/**
	 * Applies a PBX event to its call, in order with those before it. An event that cannot be stored (the database is
	 * away) is kept and applied again, before any later one, at the next event or reconciliation; it never fails the
	 * AMI event thread.
	 */
	@EventListener
	void on(PbxEvent event) {
		synchronized (unapplied) {
			if (unapplied.size() >= MAX_UNAPPLIED) {
				// A database away for this long: the reconciler ends what these events would have ended.
				unapplied.removeFirst();
				droppedEvents.increment();
			}
			unapplied.addLast(event);
			applyUnapplied();
		}
	}

	/** Applies the events kept after a failure, oldest first; stops at the first that fails again. */
	void retryUnappliedEvents() {
		synchronized (unapplied) {
			applyUnapplied();
		}
	}

	private void applyUnapplied() {
		while (!unapplied.isEmpty()) {
			PbxEvent next = unapplied.peekFirst();
			try {
				apply(next);
			}
			catch (TransientDataAccessException | DataAccessResourceFailureException
					| RecoverableDataAccessException ex) {
				// The database is away: this event waits, and so do the ones after it, to keep their order.
				failures.increment();
				if (!applyFailing) {
					applyFailing = true;
					log.warn("Could not store a call change from Asterisk; keeping it and retrying: {}",
							Failures.describe(ex));
				}
				return;
			}
			catch (RuntimeException ex) {
				// Would fail again however often it is tried: dropped, so that it holds up no other event.
				failures.increment();
				droppedEvents.increment();
				log.warn("Dropped a call change from Asterisk that cannot be stored: {}", Failures.describe(ex));
			}
			unapplied.removeFirst();
			if (applyFailing) {
				applyFailing = false;
				log.info("Call changes from Asterisk are stored again");
			}
		}
	}

	private void apply(PbxEvent event) {
		if (event instanceof PbxEvent.LegCreated created) {
			legCreated(created);
		}
		else if (event instanceof PbxEvent.LegRinging ringing) {
			update(ringing.callId(),
					(call) -> (call.status() == CallState.INITIATED) ? call.withStatus(CallState.RINGING) : call);
		}
		else if (event instanceof PbxEvent.LegAnswered answered) {
			update(answered.callId(), (call) -> {
				// The agent answering starts the dial to the destination; the destination answering connects them.
				if (answered.uniqueId().equals(call.callId())) {
					return (call.status() == CallState.INITIATED) ? call.withStatus(CallState.RINGING) : call;
				}
				return call.answered(answered.at());
			});
		}
		else if (event instanceof PbxEvent.LegBridged bridged) {
			update(bridged.callId(), (call) -> (bridged.channelsInBridge() >= 2) ? call.answered(bridged.at()) : call);
		}
		else if (event instanceof PbxEvent.LegHungUp hungUp) {
			update(hungUp.callId(), (call) -> {
				// The agent's leg carries the call: when it goes, the call is over (Dial ends the other leg).
				if (!hungUp.uniqueId().equals(call.callId())) {
					return call;
				}
				CallState end = (call.answeredAt() != null) ? CallState.ENDED : CallState.FAILED;
				String cause = hungUpByApi.containsKey(call.callId()) ? EndCauses.HANGUP_API
						: EndCauses.ofHangupCause(hungUp.cause());
				return call.ended(end, cause, hungUp.cause(), hungUp.at());
			});
		}
		else if (event instanceof PbxEvent.OriginateFailed failed) {
			update(failed.callId(), (call) -> call.ended(CallState.FAILED,
					EndCauses.ofOriginateReason(failed.reason()),
					null, failed.at()));
		}
		// PbxEvent.Reconnected: the reconciler listens for it.
	}

	private void legCreated(PbxEvent.LegCreated created) {
		Optional<CallRecord> call = update(created.callId(),
				(record) -> record.withChannel(created.channel(), created.uniqueId()));
		if (hungUpByApi.containsKey(created.callId())) {
			// The API ended this call before this leg existed (originate still queued): end the leg now.
			try {
				pbx.hangup(call.map(CallRecord::pbxNode).orElse(null), created.uniqueId());
			}
			catch (BackendUnavailableException | PbxRejectedException ex) {
				log.warn("Could not hang up leg {} of call {} asked to end: {}", created.uniqueId(), created.callId(),
						ex.getMessage());
			}
		}
	}

}
