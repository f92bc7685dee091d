package org.signaling.api.security.internal;

import java.time.Duration;

import org.signaling.api.shared.Failures;
import org.signaling.api.shared.Leadership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Deletes the shared budgets' rows nobody used for longer than their bucket takes to fill up (a budget per client
 * IP would otherwise grow without end). A leader's duty, every minute, in bounded batches.
 */
@Component
class SharedBudgetsCleaner {

	private static final Logger log = LoggerFactory.getLogger(SharedBudgetsCleaner.class);

	private static final int BATCH = 1000;

	/** A run deletes at most this many batches; the next run goes on. */
	private static final int MAX_BATCHES = 100;

	private final SharedBudgets budgets;

	private final Leadership leadership;

	private final TaskScheduler scheduler;

	SharedBudgetsCleaner(SharedBudgets budgets, Leadership leadership, TaskScheduler scheduler) {
		this.budgets = budgets;
		this.leadership = leadership;
		this.scheduler = scheduler;
	}

	@EventListener(ApplicationReadyEvent.class)
	void schedule() {
		if (budgets instanceof PostgresBudgets) {
			scheduler.scheduleWithFixedDelay(this::clean, Duration.ofMinutes(1));
		}
	}

	void clean() {
		if (!(budgets instanceof PostgresBudgets postgres) || !leadership.isLeader()) {
			return;
		}
		try {
			for (int batch = 0; batch < MAX_BATCHES; batch++) {
				if (postgres.removeExpired(BATCH) < BATCH) {
					return;
				}
			}
		}
		catch (RuntimeException ex) {
			log.debug("Could not delete unused shared rate-limit budgets; the next run tries again: {}",
					Failures.describe(ex));
		}
	}

}
