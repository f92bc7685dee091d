package org.signaling.api.events.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.signaling.api.events.Event;
import org.signaling.api.events.EventAppended;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.EventsProperties;
import org.signaling.api.events.StoredEvent;
import org.signaling.api.shared.BackendUnavailableException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events. Every stream is a cursor into the event log: it sends what follows its last position, from a
 * ring of recent events or, when it is further behind, from the log itself. So a stream never skips an event, a
 * reconnecting client resumes where it left off, and a slow client costs a position, not memory: a producer never
 * waits for a stream.
 */
@Component
class EventStream implements DisposableBean, SmartLifecycle {

	static final int RECENT = 10_000;

	static final int BATCH = 200;

	private final EventLog log;

	private final EventsProperties properties;

	private final TaskScheduler scheduler;

	private final Deque<StoredEvent> recent = new ArrayDeque<>();

	private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();

	private final AtomicInteger open = new AtomicInteger();

	private volatile boolean running;

	// Sends are I/O on client sockets: done here, never on the thread that appended the event.
	private final ExecutorService senders = Executors.newFixedThreadPool(4, (task) -> {
		Thread thread = new Thread(task, "sse-sender");
		thread.setDaemon(true);
		return thread;
	});

	EventStream(EventLog log, EventsProperties properties, TaskScheduler scheduler) {
		this.log = log;
		this.properties = properties;
		this.scheduler = scheduler;
	}

	@EventListener(ApplicationReadyEvent.class)
	void scheduleHeartbeats() {
		scheduler.scheduleWithFixedDelay(this::heartbeat, properties.heartbeat());
	}

	/**
	 * Opens a stream. Without {@code lastEventId} it starts with the next event; with one still in the log it
	 * resumes right after it; with one no longer in the log it first sends {@code reset} (reload your state).
	 */
	SseEmitter open(EventFilter filter, @Nullable String lastEventId) {
		if (!running) {
			throw new BackendUnavailableException("events", "The service is stopping: reconnect with Last-Event-ID");
		}
		if (open.incrementAndGet() > properties.maxStreams()) {
			open.decrementAndGet();
			throw new BackendUnavailableException("events", "Too many event streams open");
		}
		SseEmitter emitter = new SseEmitter(properties.streamTimeout().toMillis());
		long start = log.lastPosition();
		boolean reset = false;
		if (lastEventId != null) {
			Optional<Long> position = log.positionOf(lastEventId);
			if (position.isPresent()) {
				start = position.get();
			}
			else {
				reset = true;
			}
		}
		Subscriber subscriber = new Subscriber(emitter, filter, start);
		emitter.onCompletion(() -> close(subscriber));
		emitter.onTimeout(() -> close(subscriber));
		emitter.onError((error) -> close(subscriber));
		subscribers.add(subscriber);
		try {
			if (reset) {
				emitter.send(SseEmitter.event()
					.name("reset")
					.data(Map.of("reason", "events after " + lastEventId + " are no longer kept; reload your state")));
			}
			else {
				emitter.send(SseEmitter.event().comment("connected"));
			}
		}
		catch (IOException ex) {
			close(subscriber);
		}
		kick(subscriber);
		return emitter;
	}

	@EventListener
	void onAppended(EventAppended appended) {
		synchronized (recent) {
			recent.addLast(appended.stored());
			if (recent.size() > RECENT) {
				recent.removeFirst();
			}
		}
		subscribers.forEach(this::kick);
	}

	int openStreams() {
		return subscribers.size();
	}

	private void kick(Subscriber subscriber) {
		if (subscriber.draining.compareAndSet(false, true)) {
			try {
				senders.execute(() -> drain(subscriber));
			}
			catch (java.util.concurrent.RejectedExecutionException ex) {
				subscriber.draining.set(false);
			}
		}
	}

	private void drain(Subscriber subscriber) {
		try {
			while (subscribers.contains(subscriber)) {
				List<StoredEvent> next = next(subscriber.cursor);
				if (next.isEmpty()) {
					break;
				}
				for (StoredEvent stored : next) {
					if (subscriber.filter.matches(stored.event())) {
						send(subscriber, stored.event());
					}
					subscriber.cursor = stored.position();
				}
			}
		}
		catch (IOException | IllegalStateException ex) {
			close(subscriber);
		}
		finally {
			subscriber.draining.set(false);
		}
		// An event appended while this drain was finishing must not wait for the next one.
		if (subscribers.contains(subscriber) && !next(subscriber.cursor).isEmpty()) {
			kick(subscriber);
		}
	}

	private List<StoredEvent> next(long cursor) {
		synchronized (recent) {
			StoredEvent oldest = recent.peekFirst();
			if (oldest != null && oldest.position() <= cursor + 1) {
				return recent.stream().filter((stored) -> stored.position() > cursor).limit(BATCH).toList();
			}
		}
		return log.after(cursor, BATCH);
	}

	private static void send(Subscriber subscriber, Event event) throws IOException {
		subscriber.emitter.send(SseEmitter.event().id(event.id()).name(event.type()).data(EventJson.of(event)));
	}

	private void heartbeat() {
		for (Subscriber subscriber : subscribers) {
			try {
				subscriber.emitter.send(SseEmitter.event().comment("heartbeat"));
			}
			catch (IOException | IllegalStateException ex) {
				close(subscriber);
			}
		}
	}

	private void close(Subscriber subscriber) {
		if (subscribers.remove(subscriber)) {
			open.decrementAndGet();
			subscriber.emitter.complete();
		}
	}

	@Override
	public void start() {
		running = true;
	}

	/**
	 * Ends every stream when the service begins to stop, before the web server's graceful shutdown (a later phase):
	 * an open stream never finishes by itself, so graceful shutdown would otherwise wait its whole timeout. Clients
	 * reconnect with Last-Event-ID (to another instance, or to this one once it is back) and miss nothing.
	 */
	@Override
	public void stop() {
		running = false;
		subscribers.forEach(this::close);
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		// stopped first: the web server's graceful shutdown runs at DEFAULT_PHASE - 2048
		return SmartLifecycle.DEFAULT_PHASE;
	}

	@Override
	public void destroy() {
		running = false;
		subscribers.forEach(this::close);
		senders.shutdownNow();
	}

	private static final class Subscriber {

		final SseEmitter emitter;

		final EventFilter filter;

		final AtomicBoolean draining = new AtomicBoolean();

		volatile long cursor;

		Subscriber(SseEmitter emitter, EventFilter filter, long cursor) {
			this.emitter = emitter;
			this.filter = filter;
			this.cursor = cursor;
		}

	}

}
