package org.signaling.api.testsupport;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.signaling.api.events.Event;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.StoredEvent;

/** An event log in memory, for tests of what produces events; the JDBC one is tested on its own. */
public final class InMemoryEventLog implements EventLog {

	private final Clock clock;

	private final List<StoredEvent> events = new ArrayList<>();

	private final Map<String, Long> sequences = new HashMap<>();

	public InMemoryEventLog(Clock clock) {
		this.clock = clock;
	}

	@Override
	public synchronized StoredEvent append(String type, String subjectType, String subject, Map<String, Object> data) {
		long sequence = sequences.merge(subjectType + ":" + subject, 1L, Long::sum);
		StoredEvent stored = new StoredEvent(events.size() + 1,
				new Event("evt-" + String.format("%032x", events.size() + 1), type, clock.instant(), subjectType, subject,
						sequence, data));
		events.add(stored);
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

	public synchronized List<Event> ofType(String type) {
		return all().stream().filter((event) -> event.type().equals(type)).toList();
	}

	public synchronized void clear() {
		events.clear();
		sequences.clear();
	}

}
