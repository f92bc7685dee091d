package org.signaling.api.call.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;
import org.signaling.api.call.CallIds;
import org.signaling.api.call.CallState;
import org.signaling.api.call.CallState.Milestone;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.EventTypes;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.CallsChanged;
import org.signaling.api.shared.ChildSpans;
import org.signaling.api.shared.Failures;
import org.signaling.api.shared.Leadership;
import org.signaling.api.shared.LeadershipChanged;
import org.signaling.api.shared.SerialWork;
import org.signaling.api.shared.ViewRefreshed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The life of every call, whichever side knows it (placed through the API, or only carried by Kamailio), as
 * events: {@code call.initiated}, {@code call.ringing}, {@code call.answered}, and exactly one {@code call.ended}.
 * Each call is recorded in the call history from its start; a call still open there after a restart, and gone
 * from Asterisk and Kamailio, ends with cause "reconciled". Nothing is concluded while Kamailio cannot be asked.
 * <p>
 * Each step of one call (its history row and its events) commits in one transaction, and what this class remembers
 * moves only after that commit: a database that fails in between leaves the step to be done again, so no event is
 * lost and none is written twice. Steps run on a thread of their own, never on a request, the AMI event thread or
 * the Kamailio refresh; one call whose step fails is logged once, counted in {@code signaling.calls.sync.failures},
 * and tried again at the next refresh, while the other calls go on.
 * <p>
 * A leader's duty ({@link Leadership}): only the leading replica runs it, and each of its transactions commits only
 * while the database still names it leader. A term starts from the history (the calls open there) and from the API
 * calls that ended in the last hour unrecorded, whichever replica placed them; from then on it looks for those every
 * second, so a call placed through another replica that failed before Kamailio listed it still gets its events.
 */
@Component
public class CallLifecycle implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(CallLifecycle.class);

	/** Calls open in the history, by call id, with the stage last announced. */
	private final Map<String, Milestone> open = new HashMap<>();

	/** Calls whose last step failed, so that a failing call is logged once and its recovery once. */
	private final Set<String> failing = new HashSet<>();

	private final LiveCalls liveCalls;

	private final CallRegistry registry;

	private final CallHistoryRepository history;

	private final EventLog events;

	private final ApplicationEventPublisher publisher;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final Counter failures;

	/** How far back a term's first look goes for API calls that ended unrecorded. */
	private static final Duration UNRECORDED_LOOKBACK = Duration.ofHours(1);

	/** How much two looks for unrecorded calls overlap, so that one committed while a look ran is not missed. */
	private static final Duration UNRECORDED_OVERLAP = Duration.ofMinutes(1);

	private static final Duration UNRECORDED_LOOK_INTERVAL = Duration.ofSeconds(1);

	private final Leadership leadership;

	/** Whether this term has loaded the calls open in the history. */
	private boolean termStarted;

	/** Where the next look for unrecorded calls starts (less the overlap); null until a term has started. */
	private volatile @Nullable Instant unrecordedLookedAt;

	private final SerialWork stepper = new SerialWork("call-lifecycle", this::sync);

	/** The look for unrecorded calls: a database query, kept off the steps' thread so an outage never delays them. */
	private final ScheduledExecutorService lookups = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "call-lifecycle-lookups");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * API calls whose record changed since the last sync. A call can be placed and fail (busy, no answer at once)
	 * between two syncs, never to be listed live: these are looked at too, so that it still gets its
	 * {@code call.initiated} and {@code call.ended}.
	 */
	private final Set<String> changedRecords = ConcurrentHashMap.newKeySet();

	private final MeterRegistry meters;

	private final ChildSpans spans;

	/** Per end cause, looked up once. */
	private final Map<String, Counter> ended = new ConcurrentHashMap<>();

	CallLifecycle(LiveCalls liveCalls, CallRegistry registry, CallHistoryRepository history, EventLog events,
			ApplicationEventPublisher publisher, TransactionTemplate transactions, MeterRegistry meters, Clock clock,
			Leadership leadership, ChildSpans spans) {
		this.spans = spans;
		this.leadership = leadership;
		this.liveCalls = liveCalls;
		this.registry = registry;
		this.history = history;
		this.events = events;
		this.publisher = publisher;
		this.transactions = transactions;
		this.clock = clock;
		this.failures = CallSyncFailures.counter(meters);
		this.meters = meters;
		// at 0 from the start, so that a rate or increase over a cause sees 0 rather than nothing
		EndCauses.ALL.forEach(this::endedCounter);
	}


	@EventListener(ApplicationReadyEvent.class)
	void schedule() {
		long interval = UNRECORDED_LOOK_INTERVAL.toMillis();
		try {
			lookups.scheduleWithFixedDelay(this::lookForUnrecorded, interval, interval, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Stopping.
		}
	}

	/** A new term starts from the database; what an ended term remembered may be stale by the next one. */
	@EventListener
	void onLeadershipChanged(LeadershipChanged changed) {
		synchronized (this) {
			termStarted = false;
			unrecordedLookedAt = null;
		}
		if (changed.leader()) {
			syncSoon();
		}
	}

	@EventListener
	void onViewRefreshed(ViewRefreshed refreshed) {
		if (ViewRefreshed.DIALOGS.equals(refreshed.part())) {
			syncSoon();
		}
	}

	@EventListener
	void onCallRecordChanged(CallRecordChanged changed) {
		if (leadership.isLeader()) {
			// Elsewhere the leader finds it in the database (see apiCallsEndedUnrecordedSince).
			changedRecords.add(changed.callId());
			syncSoon();
		}
	}

	/** Brings the history and the events up to date on the lifecycle's own thread; a burst of triggers is one sync. */
	void syncSoon() {
		stepper.request();
	}

	@Override
	public void destroy() {
		stepper.close();
		lookups.shutdownNow();
	}

	public synchronized void sync() {
		if (!leadership.isLeader()) {
			return;
		}
		List<ListedCall> calls;
		try {
			calls = liveCalls.all().value();
		}
		catch (BackendUnavailableException ex) {
			// Without Kamailio's dialogs a vanished call cannot be told from a stale view.
			return;
		}
		try {
			startTerm();
		}
		catch (RuntimeException ex) {
			failures.increment();
			log.warn("Could not read the call history; trying again at the next sync: {}", Failures.describe(ex));
			return;
		}
		boolean changed = false;
		Map<String, ListedCall> now = new LinkedHashMap<>();
		calls.forEach((call) -> now.putIfAbsent(call.callId(), call));
		for (ListedCall call : now.values()) {
			Milestone stage = milestoneOf(call.state());
			Milestone announced = open.get(call.callId());
			if (announced == null) {
				changed |= step(call.callId(), () -> start(call, stage));
				continue;
			}
			// Open since an earlier term and live now: its end, when it comes, is seen.
			seenSinceStart.put(call.callId(), Boolean.TRUE);
			if (stage.ordinal() > announced.ordinal()) {
				changed |= step(call.callId(), () -> {
					progress(call, announced, stage);
					return true;
				});
			}
		}
		for (String callId : List.copyOf(changedRecords)) {
			changedRecords.remove(callId);
			if (!now.containsKey(callId) && !open.containsKey(callId)) {
				changed |= step(callId, () -> startAndEndUnseen(callId));
			}
		}
		for (String callId : List.copyOf(open.keySet())) {
			if (!now.containsKey(callId)) {
				changed |= step(callId, () -> {
					end(callId);
					return true;
				});
			}
		}
		failing.removeIf((callId) -> !now.containsKey(callId) && !open.containsKey(callId));
		if (changed) {
			publisher.publishEvent(new CallsChanged());
		}
	}

	private void startTerm() {
		if (termStarted) {
			return;
		}
		Instant now = clock.instant();
		// Calls going when the last term ended (here or on another replica): this look at the backends settles them.
		Map<String, Milestone> stillOpen = new HashMap<>();
		history.findOpen()
			.forEach((call) -> stillOpen.put(call.callId(), milestoneOf(CallState.ofJsonName(call.state()))));
		List<String> unrecorded = history.apiCallsEndedUnrecordedSince(now.minus(UNRECORDED_LOOKBACK));
		open.clear();
		open.putAll(stillOpen);
		// What this replica saw live stays seen (a call it watched end while the database was away ended as
		// observed); the rest was settled by whoever led meanwhile.
		seenSinceStart.keySet().retainAll(stillOpen.keySet());
		changedRecords.addAll(unrecorded);
		unrecordedLookedAt = now;
		termStarted = true;
	}

	/**
	 * Every second on the leader, on a thread of its own: API calls that ended unrecorded since the last look
	 * (placed through another replica, which does not tell this one), then a sync if there are any.
	 */
	void lookForUnrecorded() {
		Instant lookedAt = unrecordedLookedAt;
		if (!leadership.isLeader() || lookedAt == null) {
			return;
		}
		Instant now = clock.instant();
		List<String> unrecorded;
		try {
			unrecorded = history.apiCallsEndedUnrecordedSince(lookedAt.minus(UNRECORDED_OVERLAP));
		}
		catch (RuntimeException ex) {
			// The database is away: the next look goes back as far, and sync reports the outage.
			return;
		}
		unrecordedLookedAt = now;
		if (!unrecorded.isEmpty()) {
			changedRecords.addAll(unrecorded);
			syncSoon();
		}
	}

	/** One call's step, isolated from the others; false (nothing changed) when it failed and is left to retry. */
	private boolean step(String callId, BooleanSupplier work) {
		boolean changed;
		Span span = Span.NOOP;
		try {
			span = spans.startContinuing("call lifecycle", placingTrace(callId));
			try (Tracer.SpanInScope scope = spans.open(span)) {
				changed = work.getAsBoolean();
			}
		}
		catch (RuntimeException ex) {
			span.error(ex);
			failures.increment();
			if (failing.add(callId)) {
				log.warn("Recording call {} failed; retrying at every refresh until it works: {}", callId,
						Failures.describe(ex));
			}
			return false;
		}
		finally {
			span.end();
		}
		if (failing.remove(callId)) {
			log.info("Call {} is recorded again", callId);
		}
		return changed;
	}

	/** The trace of the request that placed an API call: its events (call.initiated, ...) continue it. */
	private @Nullable String placingTrace(String callId) {
		return CallIds.isOurs(callId) ? registry.find(callId).map(CallRecord::traceparent).orElse(null) : null;
	}

	private boolean start(ListedCall call, Milestone stage) {
		Optional<CallRecord> placed = CallIds.isOurs(call.callId()) ? registry.find(call.callId()) : Optional.empty();
		String origin = placed.isPresent() ? "api" : "kamailio";
		Map<String, Object> initiated = data(call, origin);
		placed.ifPresent((ours) -> {
			// what the agent's softphone needs to answer a click-to-dial by itself only when asked, and only while it
			// may ring
			initiated.put("auto_answer", ours.autoAnswer());
			initiated.put("ring_timeout", ours.ringTimeoutSeconds());
		});
		boolean opened = Boolean.TRUE.equals(transactions.execute((status) -> {
			leadership.confirm();
			if (!history.open(new CallHistoryRepository.HistoryEntry(0, call.callId(), origin, stage.state().jsonName(),
					call.fromUri(), call.toUri(), call.fromDn(), call.dns(), null, call.dialogId(), call.createdAt(),
					call.answeredAt(), null, null, null, call.genesysCallUuid()))) {
				return false;
			}
			events.append(EventTypes.CALL_INITIATED, "call", call.callId(), initiated);
			if (stage != Milestone.INITIATED) {
				announceProgress(call, Milestone.INITIATED, stage);
			}
			return true;
		}));
		if (!opened) {
			// Ended before (a call id is never reused): a dialog lingering after its end is not a new call.
			return false;
		}
		seenSinceStart.put(call.callId(), Boolean.TRUE);
		open.put(call.callId(), stage);
		return true;
	}

	/** An API call that ended before any sync saw it live: announced and ended now, once. */
	private boolean startAndEndUnseen(String callId) {
		Optional<CallRecord> record = registry.find(callId).filter((call) -> !call.status().isLive());
		if (record.isEmpty()) {
			return false;
		}
		CallRecord ended = record.get();
		Milestone reached = (ended.answeredAt() != null) ? Milestone.ANSWERED : Milestone.INITIATED;
		if (!start(liveCalls.listed(ended, null).inState(reached.state()), reached)) {
			// Already in the history: announced and ended before.
			return false;
		}
		end(callId);
		return true;
	}

	private void progress(ListedCall call, Milestone from, Milestone to) {
		transactions.executeWithoutResult((status) -> {
			leadership.confirm();
			announceProgress(call, from, to);
		});
		seenSinceStart.put(call.callId(), Boolean.TRUE);
		open.put(call.callId(), to);
	}

	private void announceProgress(ListedCall reported, Milestone from, Milestone to) {
		ListedCall call = withAnswerTime(reported, to);
		history.progress(call.callId(), to.state().jsonName(), call.answeredAt(), call.dialogId(),
				call.genesysCallUuid());
		if (from.ordinal() < Milestone.RINGING.ordinal() && to == Milestone.RINGING) {
			events.append(EventTypes.CALL_RINGING, "call", call.callId(), data(call, null));
		}
		if (to == Milestone.ANSWERED) {
			events.append(EventTypes.CALL_ANSWERED, "call", call.callId(), data(call, null));
		}
	}

	private void end(String callId) {
		Milestone stage = open.get(callId);
		Instant now = clock.instant();
		Optional<CallRecord> ours = CallIds.isOurs(callId) ? registry.find(callId) : Optional.empty();
		boolean seen = seenSinceStart.containsKey(callId);
		String cause;
		Instant endedAt = now;
		Integer hangupCause = null;
		String sipCallId = null;
		Instant answeredAtOfRecord = null;
		if (ours.isPresent() && ours.get().endCause() != null) {
			cause = ours.get().endCause();
			hangupCause = ours.get().hangupCause();
			answeredAtOfRecord = ours.get().answeredAt();
			endedAt = (ours.get().endedAt() != null) ? ours.get().endedAt() : now;
			sipCallId = ours.get().sipCallId();
		}
		else if (!seen) {
			cause = EndCauses.RECONCILED;
		}
		else {
			// A call only Kamailio carried: its dialog is gone; who hung up is not in dlg.list.
			cause = (stage == Milestone.ANSWERED) ? "hangup" : "not_answered";
		}
		Ending ending = new Ending(callId, cause, endedAt, hangupCause, sipCallId, answeredAtOfRecord);
		transactions.executeWithoutResult((status) -> {
			leadership.confirm();
			close(ending);
		});
		open.remove(callId);
		seenSinceStart.remove(callId);
		log.debug("Call {} ended: {}", callId, cause);
	}

	/** Closes the history row and appends {@code call.ended}, both or neither (the caller's transaction). */
	private void close(Ending ending) {
		Optional<CallHistoryRepository.HistoryEntry> entry = history.findOpen(ending.callId());
		Instant answeredAt = (ending.answeredAt() != null) ? ending.answeredAt()
				: entry.map(CallHistoryRepository.HistoryEntry::answeredAt).orElse(null);
		long duration = (answeredAt != null)
				? Math.max(0, Duration.between(answeredAt, ending.endedAt()).toSeconds()) : 0;
		if (!history.close(ending.callId(), ending.endedAt(), ending.cause(), duration, ending.sipCallId())) {
			// Closed already: its call.ended exists.
			return;
		}
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("call_id", ending.callId());
		entry.ifPresent((found) -> {
			data.put("from", found.fromUri());
			data.put("to", found.toUri());
			data.put("from_dn", found.fromDn());
			data.put("dns", List.copyOf(found.dns()));
			data.put("origin", found.origin());
			if (found.genesysCallUuid() != null) {
				data.put("genesys_call_uuid", found.genesysCallUuid());
			}
		});
		data.put("state", "ended");
		data.put("end_cause", ending.cause());
		if (ending.hangupCause() != null) {
			data.put("hangup_cause", ending.hangupCause());
		}
		data.put("duration", duration);
		data.put("ended_at", ending.endedAt().toString());
		events.append(EventTypes.CALL_ENDED, "call", ending.callId(), data);
		countOnceCommitted(ending.cause());
	}

	/** {@code signaling.calls.ended{end_cause}}, once the end is committed (a rolled-back one is retried). */
	private void countOnceCommitted(String endCause) {
		Runnable count = () -> endedCounter(endCause).increment();
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					count.run();
				}
			});
		}
		else {
			count.run();
		}
	}

	private Counter endedCounter(String endCause) {
		return ended.computeIfAbsent(endCause, (cause) -> Counter.builder("signaling.calls.ended")
			.description("Calls ended, by end cause (call.ended's end_cause: a small fixed set)")
			.tag("end_cause", cause)
			.register(meters));
	}

	/** How a call ended, decided before the transaction that records it. */
	private record Ending(String callId, String cause, Instant endedAt, @Nullable Integer hangupCause,
			@Nullable String sipCallId, @Nullable Instant answeredAt) {
	}

	/** Calls seen live since this service started: an open call never seen again was settled while it was away. */
	private final Map<String, Boolean> seenSinceStart = new HashMap<>();

	/**
	 * The call with an answer time once it is answered. Kamailio can list a dialog as answered before it has stamped
	 * {@code start_ts} (a read between the two, seen in a CI run); the history keeps the first answer time it is
	 * given, so without this the call would stay "answered at: unknown". The time it was seen answered is then the
	 * answer time, within one refresh of Kamailio's own.
	 */
	private ListedCall withAnswerTime(ListedCall call, Milestone reached) {
		if (reached != Milestone.ANSWERED || call.answeredAt() != null) {
			return call;
		}
		return call.answeredAt(clock.instant());
	}

	private static Map<String, Object> data(ListedCall call, @Nullable String origin) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("call_id", call.callId());
		data.put("from", call.fromUri());
		data.put("to", call.toUri());
		data.put("from_dn", call.fromDn());
		data.put("dns", List.copyOf(call.dns()));
		data.put("state", call.state().jsonName());
		if (origin != null) {
			data.put("origin", origin);
		}
		data.put("created_at", call.createdAt().toString());
		if (call.answeredAt() != null) {
			data.put("answered_at", call.answeredAt().toString());
		}
		if (call.dialogId() != null) {
			data.put("dialog_id", call.dialogId());
		}
		if (call.genesysCallUuid() != null) {
			data.put("genesys_call_uuid", call.genesysCallUuid());
		}
		return data;
	}

	/** A listed call is live; an ended state (never listed) counts as the first step. */
	private static Milestone milestoneOf(CallState state) {
		Milestone milestone = state.milestone();
		return (milestone != null) ? milestone : Milestone.INITIATED;
	}

}
