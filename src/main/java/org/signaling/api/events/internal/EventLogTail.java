package org.signaling.api.events.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.signaling.api.events.EventAppended;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.StoredEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Announces every event of the log ({@link EventAppended}): this replica's and those other replicas append to the
 * same database, once each and in the log's order. It is the only source of those announcements, so the event
 * streams' ring of recent events and the webhook fan-out see the log as it is, never an event of this replica ahead
 * of an earlier one of another.
 *
 * <p>It reads the log after the last position it announced. Appends commit in position order across replicas (the
 * {@code event_log_writer} row), so such a read never misses an event that commits later with a lower position. It
 * reads when this replica commits events ({@link EventsCommitted}), when another replica says it did
 * ({@link EventLogWakeUps}, PostgreSQL only), and every {@link #POLL} in case a wake-up was lost.
 */
@Component
class EventLogTail implements SmartLifecycle {

	/**
	 * How soon another replica's event is announced here at the latest, when its wake-up was lost (or on H2, which
	 * has none): a bounded query on the log's primary key, what one replica costs the database when nothing happens.
	 */
	static final Duration POLL = Duration.ofMillis(250);

	static final int BATCH = 200;

	private static final Logger log = LoggerFactory.getLogger(EventLogTail.class);

	/** The database's log (not any other {@link EventLog}: an in-memory one in tests announces by itself). */
	private final JdbcEventLog events;

	private final ApplicationEventPublisher publisher;

	private final AtomicBoolean requested = new AtomicBoolean();

	private volatile @Nullable ScheduledExecutorService executor;

	// The tail thread's own.

	/** The last position announced; null until the log's end at start is known. */
	private @Nullable Long announcedUpTo;

	private boolean failing;

	private final Duration poll;

	@Autowired
	EventLogTail(JdbcEventLog events, ApplicationEventPublisher publisher) {
		this(events, publisher, POLL);
	}

	/** With another poll interval: a test of the wake-ups polls once an hour. */
	EventLogTail(JdbcEventLog events, ApplicationEventPublisher publisher, Duration poll) {
		this.events = events;
		this.publisher = publisher;
		this.poll = poll;
	}

	@EventListener
	void onCommitted(EventsCommitted committed) {
		wake();
	}

	/** Asks for a read soon; requests while one is pending are merged. */
	void wake() {
		ScheduledExecutorService tail = executor;
		if (tail != null && requested.compareAndSet(false, true)) {
			try {
				tail.execute(this::read);
			}
			catch (RejectedExecutionException ex) {
				requested.set(false); // stopping
			}
		}
	}

	private void read() {
		requested.set(false);
		try {
			if (announcedUpTo == null) {
				// Events from before the start are not news: streams and webhooks read those from the log.
				announcedUpTo = events.lastPosition();
			}
			List<StoredEvent> batch;
			do {
				batch = events.after(announcedUpTo, BATCH);
				for (StoredEvent stored : batch) {
					announcedUpTo = stored.position();
					publisher.publishEvent(new EventAppended(stored));
				}
			}
			while (batch.size() == BATCH);
			if (failing) {
				failing = false;
				log.info("Reading the event log works again");
			}
		}
		catch (RuntimeException ex) {
			// The database is away: the next poll reads again from the same position, so nothing is lost.
			if (!failing) {
				failing = true;
				log.warn("Reading the event log failed, retrying every {}: {}", poll, ex.toString());
			}
		}
	}

	@Override
	public void start() {
		ScheduledExecutorService tail = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "event-log-tail");
			thread.setDaemon(true);
			return thread;
		});
		executor = tail;
		tail.scheduleWithFixedDelay(this::wake, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		ScheduledExecutorService tail = executor;
		executor = null;
		if (tail != null) {
			tail.shutdown();
			try {
				tail.awaitTermination(2, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return executor != null;
	}

}
