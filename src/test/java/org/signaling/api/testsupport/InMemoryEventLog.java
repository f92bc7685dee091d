package org.signaling.api.testsupport;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.signaling.api.events.Event;
import org.signaling.api.events.EventAppended;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.StoredEvent;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * An event log in memory, for tests of what produces and what consumes events (the JDBC one is tested on its own):
 * positions 1, 2, 3..., a sequence per subject, and, once {@link #announceTo} is set, {@link EventAppended} after
 * the append, as the real log does. Like the real log, an append inside a transaction is kept only if that
 * transaction commits. Survives a "restart" of the consumers when the test keeps the instance.
 */
public final class InMemoryEventLog implements EventLog {

	private final Clock clock;

	private final List<StoredEvent> events = new ArrayList<>();

	private final Map<String, Long> sequences = new HashMap<>();

	private final Map<String, Instant> lastUsed = new HashMap<>();

	private final Set<String> failingTypes = ConcurrentHashMap.newKeySet();

	private volatile Consumer<EventAppended> listener = (appended) -> {
	};

	public InMemoryEventLog(Clock clock) {
		this.clock = clock;
	}

	/** Who hears about appended events (the application context, or a webhook dispatcher directly). */
	public void announceTo(Consumer<EventAppended> listener) {
		this.listener = listener;
	}

	/**
	 * Makes the next append of this type fail, as a database that goes away at that moment would (before anything of
	 * the caller's transaction commits).
	 */
	public void failNextAppendOf(String type) {
		failingTypes.add(type);
	}

	@Override
	public StoredEvent append(String type, String subjectType, String subject, Map<String, Object> data) {
		if (failingTypes.remove(type)) {
			throw new DataAccessResourceFailureException("injected: the database went away");
		}
		if (TransactionSynchronizationManager.isSynchronizationActive()
				&& TransactionSynchronizationManager.isActualTransactionActive()) {
			// As the real log: part of the caller's transaction, kept only if it commits.
			pendingOfTransaction().add(() -> appendNow(type, subjectType, subject, data));
			return new StoredEvent(0, new Event("evt-" + "0".repeat(32), type, clock.instant(), subjectType, subject,
					0, data));
		}
		return appendNow(type, subjectType, subject, data);
	}

	@SuppressWarnings("unchecked")
	private List<Runnable> pendingOfTransaction() {
		Object bound = TransactionSynchronizationManager.getResource(this);
		if (bound != null) {
			return (List<Runnable>) bound;
		}
		List<Runnable> pending = new ArrayList<>();
		TransactionSynchronizationManager.bindResource(this, pending);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCompletion(int status) {
				TransactionSynchronizationManager.unbindResourceIfPossible(InMemoryEventLog.this);
				if (status == STATUS_COMMITTED) {
					pending.forEach(Runnable::run);
				}
			}
		});
		return pending;
	}

	private StoredEvent appendNow(String type, String subjectType, String subject, Map<String, Object> data) {
		StoredEvent stored;
		synchronized (this) {
			long sequence = sequences.merge(subjectType + ":" + subject, 1L, Long::sum);
			lastUsed.put(subjectType + ":" + subject, clock.instant());
			stored = new StoredEvent(events.size() + 1, new Event("evt-" + String.format("%032x", events.size() + 1),
					type, clock.instant(), subjectType, subject, sequence, data));
			events.add(stored);
		}
		// outside the lock, like the real log's announcement after its commit
		listener.accept(new EventAppended(stored));
		return stored;
	}

	@Override
	public synchronized List<StoredEvent> after(long position, int limit) {
		return events.stream().filter((stored) -> stored.position() > position).limit(limit).toList();
	}

	@Override
	public synchronized Map<String, Event> latestBySubject(String subjectType) {
		Map<String, Event> latest = new HashMap<>();
		events.stream()
			.map(StoredEvent::event)
			.filter((event) -> event.subjectType().equals(subjectType))
			.forEach((event) -> latest.put(event.subject(), event));
		return latest;
	}

	@Override
	public synchronized Optional<Long> positionOf(String eventId) {
		return events.stream().filter((stored) -> stored.event().id().equals(eventId)).map(StoredEvent::position)
			.findFirst();
	}

	@Override
	public synchronized long lastPosition() {
		return events.size();
	}

	/** As the real log: subjects idle since the cutoff with no event left; this log keeps every event until cleared. */
	@Override
	public synchronized int forgetIdleSubjects(Instant idleBefore, int limit) {
		Instant cutoff = events.stream()
			.map((stored) -> stored.event().occurredAt())
			.min(Comparator.naturalOrder())
			.filter((oldest) -> oldest.isBefore(idleBefore))
			.orElse(idleBefore);
		List<String> idle = lastUsed.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().isBefore(cutoff))
			.map(Map.Entry::getKey)
			.limit(limit)
			.toList();
		idle.forEach((subject) -> {
			lastUsed.remove(subject);
			sequences.remove(subject);
		});
		return idle.size();
	}

	/** Every event so far, oldest first. */
	public synchronized List<Event> all() {
		return events.stream().map(StoredEvent::event).toList();
	}

	/** Every event so far with its position, oldest first. */
	public synchronized List<StoredEvent> stored() {
		return List.copyOf(events);
	}

	public synchronized List<Event> ofType(String type) {
		return all().stream().filter((event) -> event.type().equals(type)).toList();
	}

	public synchronized void clear() {
		events.clear();
		sequences.clear();
		lastUsed.clear();
	}

}
