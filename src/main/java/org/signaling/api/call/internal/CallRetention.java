package org.signaling.api.call.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.signaling.api.call.CallsProperties;
import org.signaling.api.events.EventLog;
import org.signaling.api.shared.Failures;
import org.signaling.api.shared.Leadership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps stored calls to {@code signaling.calls.history-retention}: once an hour it deletes the calls of the history
 * that ended before it, the API calls that ended before it (with their Idempotency-Keys: never one still within its
 * replay window) and the event subjects without any event for as long. Calls still going are never deleted.
 * <p>
 * It deletes in batches of {@value #BATCH} rows, each its own short statement, so no table is locked for long and
 * the service's writes go on in between; at most {@value #MAX_BATCHES_PER_RUN} batches per table and run, the rest
 * at the next run. It runs on a thread of its own, so that a large backlog never holds up the shared scheduler
 * (reconciliation, event retention). What it deleted is logged and counted in {@code signaling.retention.deleted}
 * (tag {@code table}). The period is the call history's, so the job lives here; what makes an event subject idle is
 * the event log's rule ({@link EventLog#forgetIdleSubjects}).
 */
@Component
public class CallRetention implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(CallRetention.class);

	/** Rows per delete statement. */
	static final int BATCH = 1000;

	/** Batches per table and run: a run deletes at most a million rows of each table. */
	static final int MAX_BATCHES_PER_RUN = 1000;

	private static final long INTERVAL_MINUTES = 60;

	/** The first run waits until start-up (migrations, the first reconciliation) is well over. */
	private static final long FIRST_RUN_AFTER_MINUTES = 1;

	private final CallRepository calls;

	private final CallHistoryRepository history;

	private final EventLog events;

	private final CallsProperties properties;

	private final Clock clock;

	private final MeterRegistry meters;

	private final ScheduledExecutorService runner = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "call-retention");
		thread.setDaemon(true);
		return thread;
	});

	private final Leadership leadership;

	CallRetention(CallRepository calls, CallHistoryRepository history, EventLog events, CallsProperties properties,
			Clock clock, MeterRegistry meters, Leadership leadership) {
		this.leadership = leadership;
		this.calls = calls;
		this.history = history;
		this.events = events;
		this.properties = properties;
		this.clock = clock;
		this.meters = meters;
	}

	@EventListener(ApplicationReadyEvent.class)
	void schedule() {
		try {
			// A leader's duty: one replica deletes, the others would only wait on its row locks.
			runner.scheduleWithFixedDelay(() -> {
				if (leadership.isLeader()) {
					purge(MAX_BATCHES_PER_RUN);
				}
			}, FIRST_RUN_AFTER_MINUTES, INTERVAL_MINUTES, TimeUnit.MINUTES);
		}
		catch (RejectedExecutionException ex) {
			// Stopping.
		}
	}

	@Override
	public void destroy() {
		runner.shutdownNow();
	}

	/**
	 * One run: deletes what is older than the retention, table by table, at most {@code maxBatches} batches of each.
	 * A table that fails (the database is away) is left to the next run and does not stop the others.
	 * @return the rows deleted in all tables
	 */
	long purge(int maxBatches) {
		Instant now = clock.instant();
		Instant cutoff = now.minus(properties.historyRetention());
		Instant keysReleasedBefore = now.minus(properties.idempotencyWindow());
		long history = inBatches("call_history", maxBatches, () -> this.history.deleteEndedBefore(cutoff, BATCH));
		long apiCalls = inBatches("api_call", maxBatches,
				() -> calls.deleteEndedBefore(cutoff, keysReleasedBefore, BATCH));
		long subjects = inBatches("event_subject", maxBatches, () -> events.forgetIdleSubjects(cutoff, BATCH));
		if (history + apiCalls + subjects > 0) {
			log.info("Deleted {} calls of the history, {} API calls and {} event subjects older than {}", history,
					apiCalls, subjects, properties.historyRetention());
		}
		return history + apiCalls + subjects;
	}

	private long inBatches(String table, int maxBatches, IntSupplier batch) {
		Counter deletedRows = Counter.builder("signaling.retention.deleted")
			.description("Rows deleted because they were older than signaling.calls.history-retention")
			.tag("table", table)
			.register(meters);
		long total = 0;
		try {
			for (int i = 0; i < maxBatches; i++) {
				int deleted = batch.getAsInt();
				deletedRows.increment(deleted);
				total += deleted;
				if (deleted < BATCH) {
					return total;
				}
			}
			log.info("More of {} is older than {} than one run deletes; the next run goes on", table,
					properties.historyRetention());
		}
		catch (RuntimeException ex) {
			log.warn("Deleting old rows of {} failed after {}; the next run tries again: {}", table, total,
					Failures.describe(ex));
		}
		return total;
	}

}
