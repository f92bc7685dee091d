package org.signaling.api.testsupport;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.signaling.api.events.Event;
import org.signaling.api.events.EventAppended;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.StoredEvent;

/**
 * An event log in memory, for tests of what produces and what consumes events (the JDBC one is tested on its own):
 * positions 1, 2, 3..., a sequence per subject, and, once {@link #announceTo} is set, {@link EventAppended} after
 * the append, as the real log does. Survives a "restart" of the consumers when the test keeps the instance.
 */
public final class InMemoryEventLog implements EventLog {

	private final Clock clock;

	private final List<StoredEvent> events = new ArrayList<>();

	private final Map<String, Long> sequences = new HashMap<>();

	private volatile Consumer<EventAppended> listener = (appended) -> {
	};

	public InMemoryEventLog(Clock clock) {
		this.clock = clock;
	}

	/** Who hears about appended events (the application context, or a webhook dispatcher directly). */
	public void announceTo(Consumer<EventAppended> listener) {
		this.listener = listener;
	}

	@Override
	public StoredEvent append(String type, String subjectType, String subject, Map<String, Object> data) {
		StoredEvent stored;
		synchronized (this) {
			long sequence = sequences.merge(subjectType + ":" + subject, 1L, Long::sum);
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
	public synchronized Optional<Long> positionOf(String eventId) {
		return events.stream().filter((stored) -> stored.event().id().equals(eventId)).map(StoredEvent::position).findFirst();
	}

	@Override
	public synchronized long lastPosition() {
		return events.size();
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
	}

}
