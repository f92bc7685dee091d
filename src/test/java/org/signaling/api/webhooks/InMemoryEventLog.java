package org.signaling.api.webhooks;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import org.signaling.api.events.Event;
import org.signaling.api.events.EventAppended;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.StoredEvent;

/**
 * An {@link EventLog} in memory for webhook tests: positions 1, 2, 3..., a sequence per subject, and
 * {@link EventAppended} announced after the append, as the real log does. Survives a "restart" of the webhook
 * machinery when the test keeps the instance.
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

	/** Who hears about appended events (the application context, or a dispatcher directly). */
	public void announceTo(Consumer<EventAppended> listener) {
		this.listener = listener;
	}

	@Override
	public StoredEvent append(String type, String subjectType, String subject, Map<String, Object> data) {
		StoredEvent stored;
		synchronized (this) {
			long sequence = sequences.merge(subjectType + ":" + subject, 1L, Long::sum);
			byte[] id = new byte[16];
			ThreadLocalRandom.current().nextBytes(id);
			Event event = new Event("evt-" + HexFormat.of().formatHex(id), type, clock.instant(), subjectType, subject,
					sequence, data);
			stored = new StoredEvent(events.size() + 1, event);
			events.add(stored);
		}
		listener.accept(new EventAppended(stored));
		return stored;
	}

	@Override
	public synchronized List<StoredEvent> after(long position, int limit) {
		return events.stream().filter((stored) -> stored.position() > position).limit(limit).toList();
	}

	@Override
	public synchronized Optional<Long> positionOf(String eventId) {
		return events.stream()
			.filter((stored) -> stored.event().id().equals(eventId))
			.map(StoredEvent::position)
			.findFirst();
	}

	@Override
	public synchronized long lastPosition() {
		return events.size();
	}

	public synchronized List<StoredEvent> all() {
		return List.copyOf(events);
	}

}
