package org.signaling.api.events.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.signaling.api.events.EventLog;
import org.signaling.api.events.EventTypes;
import org.signaling.api.shared.BackendHealth;
import org.signaling.api.shared.ComponentHealth;
import org.signaling.api.shared.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * {@code backend.up} and {@code backend.down} (subject: kamailio, asterisk, genesys) when a backend's health
 * changes between up and down, looked at every second from memory. The first look is the baseline.
 */
@Component
class BackendStatusEvents {

	private final List<BackendHealth> backends;

	private final EventLog events;

	private final TaskScheduler scheduler;

	private static final Logger log = LoggerFactory.getLogger(BackendStatusEvents.class);

	private final Map<String, ComponentHealth.Status> known = new HashMap<>();

	private boolean appendFailing;

	BackendStatusEvents(List<BackendHealth> backends, EventLog events, TaskScheduler scheduler) {
		this.backends = backends;
		this.events = events;
		this.scheduler = scheduler;
	}

	@EventListener(ApplicationReadyEvent.class)
	void schedule() {
		scheduler.scheduleWithFixedDelay(this::check, Duration.ofSeconds(1));
	}

	synchronized void check() {
		for (BackendHealth backend : backends) {
			ComponentHealth health = backend.componentHealth();
			ComponentHealth.Status was = known.get(backend.backend());
			boolean changed = was != null && was != health.status()
					&& (health.status() == ComponentHealth.Status.UP || health.status() == ComponentHealth.Status.DOWN);
			if (!changed) {
				known.put(backend.backend(), health.status());
				continue;
			}
			Map<String, Object> data = new LinkedHashMap<>();
			data.put("backend", backend.backend());
			data.put("status", health.status().jsonName());
			if (health.status() == ComponentHealth.Status.DOWN && health.lastError() != null) {
				data.put("error", health.lastError());
			}
			try {
				events.append(health.status() == ComponentHealth.Status.UP ? EventTypes.BACKEND_UP
						: EventTypes.BACKEND_DOWN, "backend", backend.backend(), data);
			}
			catch (RuntimeException ex) {
				// Tried again at the next look (the database is away); logged once per outage.
				if (!appendFailing) {
					appendFailing = true;
					log.warn("Could not record a backend status change: {}", Failures.describe(ex));
				}
				continue;
			}
			appendFailing = false;
			known.put(backend.backend(), health.status());
		}
	}

}
