package org.signaling.api.events.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.EventTypes;
import org.signaling.api.shared.BackendHealth;
import org.signaling.api.shared.ComponentHealth;
import org.signaling.api.shared.Failures;
import org.signaling.api.shared.Leadership;
import org.signaling.api.shared.LeadershipChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code backend.up} and {@code backend.down} (subject: kamailio, asterisk, genesys) when a backend's health
 * changes between up and down, looked at every second from memory. A leader's duty ({@link Leadership}): each term
 * starts from each backend's latest event in the log, so a status already announced is not announced again and a
 * backend never announced is announced once it is up or down.
 */
@Component
class BackendStatusEvents {

	private static final Logger log = LoggerFactory.getLogger(BackendStatusEvents.class);

	private final List<BackendHealth> backends;

	private final EventLog events;

	private final TaskScheduler scheduler;

	private final Leadership leadership;

	private final TransactionTemplate transactions;

	/** The status last announced per backend (up or down); null until read from the log in this term. */
	private @Nullable Map<String, ComponentHealth.Status> announced;

	private boolean appendFailing;

	BackendStatusEvents(List<BackendHealth> backends, EventLog events, TaskScheduler scheduler, Leadership leadership,
			TransactionTemplate transactions) {
		this.backends = backends;
		this.events = events;
		this.scheduler = scheduler;
		this.leadership = leadership;
		this.transactions = transactions;
	}

	@EventListener(ApplicationReadyEvent.class)
	void schedule() {
		scheduler.scheduleWithFixedDelay(this::check, Duration.ofSeconds(1));
	}

	@EventListener
	synchronized void onLeadershipChanged(LeadershipChanged changed) {
		announced = null;
	}

	synchronized void check() {
		if (!leadership.isLeader()) {
			return;
		}
		try {
			if (announced == null) {
				announced = lastAnnounced();
			}
			for (BackendHealth backend : backends) {
				ComponentHealth.Status status = backend.componentHealth().status();
				if ((status == ComponentHealth.Status.UP || status == ComponentHealth.Status.DOWN)
						&& status != announced.get(backend.backend())) {
					announce(backend, status);
					announced.put(backend.backend(), status);
				}
			}
		}
		catch (RuntimeException ex) {
			// Tried again at the next look (the database is away); logged once per outage.
			if (!appendFailing) {
				appendFailing = true;
				log.warn("Could not record a backend status change: {}", Failures.describe(ex));
			}
			return;
		}
		appendFailing = false;
	}

	private void announce(BackendHealth backend, ComponentHealth.Status status) {
		ComponentHealth health = backend.componentHealth();
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("backend", backend.backend());
		data.put("status", status.jsonName());
		if (status == ComponentHealth.Status.DOWN && health.lastError() != null) {
			data.put("error", health.lastError());
		}
		transactions.executeWithoutResult((tx) -> {
			leadership.confirm();
			events.append(status == ComponentHealth.Status.UP ? EventTypes.BACKEND_UP : EventTypes.BACKEND_DOWN,
					"backend", backend.backend(), data);
		});
	}

	private Map<String, ComponentHealth.Status> lastAnnounced() {
		Map<String, ComponentHealth.Status> last = new HashMap<>();
		events.latestBySubject("backend").forEach((backend, event) -> last.put(backend,
				EventTypes.BACKEND_UP.equals(event.type()) ? ComponentHealth.Status.UP : ComponentHealth.Status.DOWN));
		return last;
	}

}
