package org.signaling.api.events.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

import org.signaling.api.events.EventLogReader;
import org.signaling.api.events.EventsProperties;
import org.signaling.api.shared.Leadership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/** Keeps the event log to its retention period, pruning once an hour. */
@Component
class EventRetention {

	private static final Logger log = LoggerFactory.getLogger(EventRetention.class);

	private final JdbcEventLog events;

	private final EventsProperties properties;

	private final TaskScheduler scheduler;

	private final Clock clock;

	private final List<EventLogReader> readers;

	private final Leadership leadership;

	EventRetention(JdbcEventLog events, EventsProperties properties, TaskScheduler scheduler, Clock clock,
			List<EventLogReader> readers, Leadership leadership) {
		this.leadership = leadership;
		this.readers = readers;
		this.events = events;
		this.properties = properties;
		this.scheduler = scheduler;
		this.clock = clock;
	}

	@EventListener(ApplicationReadyEvent.class)
	void schedule() {
		// A leader's duty: one replica prunes, the others would only wait on its row locks.
		scheduler.scheduleWithFixedDelay(() -> {
			if (leadership.isLeader()) {
				prune();
			}
		}, Duration.ofHours(1));
	}

	void prune() {
		// Never past what a durable reader (the webhook outbox) has not taken yet.
		long keepFrom = readers.stream()
			.map(EventLogReader::lastTakenPosition)
			.filter(OptionalLong::isPresent)
			.mapToLong(OptionalLong::getAsLong)
			.min()
			.orElse(Long.MAX_VALUE);
		int pruned = events.pruneBefore(clock.instant().minus(properties.retention()), keepFrom);
		if (pruned > 0) {
			log.info("Pruned {} events older than {}", pruned, properties.retention());
		}
	}

}
