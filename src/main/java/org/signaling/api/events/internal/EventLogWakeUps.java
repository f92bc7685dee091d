package org.signaling.api.events.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Wakes the other replicas' {@link EventLogTail} as soon as this one has committed events, through PostgreSQL's
 * {@code LISTEN/NOTIFY} on the channel {@value #CHANNEL}: a notification carries nothing but "read the log", which
 * stays the truth. Each replica listens on a connection of its own and sends {@code NOTIFY} after its commits. A lost
 * notification (a replica dying between its commit and its NOTIFY, a listening connection being re-opened) costs
 * at most the tail's poll interval. On any other database (H2: one process), it does nothing.
 */
@Component
class EventLogWakeUps implements SmartLifecycle {

	static final String CHANNEL = "signaling_events";

	/** How long one wait for notifications lasts; also how soon a stop is noticed. */
	private static final int WAIT_MILLIS = 1_000;

	private static final Duration RECONNECT_BACKOFF = Duration.ofSeconds(2);

	private static final Logger log = LoggerFactory.getLogger(EventLogWakeUps.class);

	private final DataSource dataSource;

	private final EventLogTail tail;

	/** Whether the database is PostgreSQL; null until the listening thread has asked it. */
	private volatile @Nullable Boolean postgres;

	private final AtomicBoolean notifyPending = new AtomicBoolean();

	private volatile @Nullable ExecutorService notifiers;

	private volatile @Nullable Thread listener;

	private volatile @Nullable CountDownLatch stopped;

	EventLogWakeUps(DataSource dataSource, EventLogTail tail) {
		this.dataSource = dataSource;
		this.tail = tail;
	}

	/**
	 * After this replica's commit: tell the others, from a thread of its own (the committing thread does no more I/O
	 * than before) and once for a burst of commits. Best effort; their poll is the fallback.
	 */
	@EventListener
	void onCommitted(EventsCommitted committed) {
		ExecutorService notifier = notifiers;
		if (!Boolean.TRUE.equals(postgres) || notifier == null || !notifyPending.compareAndSet(false, true)) {
			return;
		}
		try {
			notifier.execute(this::notifyOthers);
		}
		catch (RejectedExecutionException ex) {
			notifyPending.set(false); // stopping
		}
	}

	private void notifyOthers() {
		notifyPending.set(false);
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("NOTIFY " + CHANNEL);
		}
		catch (SQLException ex) {
			log.debug("NOTIFY {} failed; the other replicas poll: {}", CHANNEL, ex.toString());
		}
	}

	@Override
	public void start() {
		CountDownLatch stop = new CountDownLatch(1);
		stopped = stop;
		notifiers = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "event-log-notify");
			thread.setDaemon(true);
			return thread;
		});
		// The database's kind is found on this thread too: nothing at start-up waits for the database.
		Thread thread = new Thread(() -> listen(stop), "event-log-wakeups");
		thread.setDaemon(true);
		listener = thread;
		thread.start();
	}

	private void listen(CountDownLatch stop) {
		boolean failing = false;
		while (stop.getCount() > 0) {
			try (Connection connection = dataSource.getConnection()) {
				if (postgres == null) {
					postgres = connection.isWrapperFor(PGConnection.class);
				}
				if (!postgres) {
					return; // H2: one process, nobody to wake
				}
				try (Statement statement = connection.createStatement()) {
					statement.execute("LISTEN " + CHANNEL);
				}
				if (failing) {
					failing = false;
					log.info("Listening for other replicas' events again");
				}
				// What was committed while not listening is read too.
				tail.wake();
				PGConnection notifications = connection.unwrap(PGConnection.class);
				while (stop.getCount() > 0) {
					PGNotification[] received = notifications.getNotifications(WAIT_MILLIS);
					if (received != null && received.length > 0) {
						tail.wake();
					}
				}
			}
			catch (SQLException | RuntimeException ex) {
				if (!failing) {
					failing = true;
					log.warn("Listening for other replicas' events failed, retrying every {}: {}", RECONNECT_BACKOFF,
							ex.toString());
				}
				try {
					if (stop.await(RECONNECT_BACKOFF.toMillis(), TimeUnit.MILLISECONDS)) {
						return;
					}
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	@Override
	public void stop() {
		ExecutorService notifier = notifiers;
		notifiers = null;
		if (notifier != null) {
			notifier.shutdown();
		}
		CountDownLatch stop = stopped;
		Thread thread = listener;
		if (stop != null) {
			stop.countDown();
		}
		if (thread != null) {
			try {
				thread.join(WAIT_MILLIS * 2L);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		listener = null;
		stopped = null;
	}

	@Override
	public boolean isRunning() {
		return listener != null;
	}

}
