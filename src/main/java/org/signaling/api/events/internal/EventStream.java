package org.signaling.api.events.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.signaling.api.events.Event;
import org.signaling.api.events.EventAppended;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.EventsProperties;
import org.signaling.api.events.StoredEvent;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.ProblemType;
import org.signaling.api.shared.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events. Every stream is a cursor into the event log: it sends what follows its last position, from a
 * ring of recent events or, when it is further behind, from the log itself. So a stream never skips an event, a
 * reconnecting client resumes where it left off, and a slow client costs a position, not memory: a producer never
 * waits for a stream.
 * <p>
 * Nobody can monopolize the streams: one credential holds at most {@code max-streams-per-credential} of them, and a
 * client that stops reading holds nothing but its own stream. Every write to a client (events and heartbeats alike)
 * is done by that stream's own sender, never by a shared thread, and is watched: a stream whose write has not
 * finished within {@code send-timeout} is closed, its place and its cursor freed. Another stream, a heartbeat or a
 * job of the shared scheduler never waits for it.
 */
@Component
class EventStream implements DisposableBean, SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(EventStream.class);

	static final int RECENT = 10_000;

	static final int BATCH = 200;

	private final EventLog log;

	private final EventsProperties properties;

	private final Deque<StoredEvent> recent = new ArrayDeque<>();

	private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();

	/** Open streams per credential; changed together with {@link #subscribers}, under its own lock. */
	private final Map<String, Integer> perCredential = new HashMap<>();

	private volatile boolean running;

	/*
	 * A thread per send in progress: a blocking servlet write to a client that does not read holds its thread until
	 * the container's write timeout, so a fixed pool would be emptied by a few stalled clients and every other
	 * stream would wait. There is at most one send in progress per stream (see Subscriber.draining), so the threads
	 * are bounded by the open streams plus those closed while their write was stuck, until the container ends that
	 * write (server.tomcat.connection-timeout). Idle threads end after a minute.
	 */
	private final ExecutorService senders = Executors.newCachedThreadPool(daemon("sse-sender-"));

	// Heartbeats and the watchdog only mark streams and hand the writes to the senders: nothing on this thread ever
	// waits for a client, so one is enough, and the application's shared scheduler is left alone.
	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("sse-timer-"));

	private final AtomicBoolean scheduled = new AtomicBoolean();

	EventStream(EventLog log, EventsProperties properties, MeterRegistry meters) {
		this.log = log;
		this.properties = properties;
		for (String kind : List.of("key", "jwt")) {
			Gauge.builder("signaling.events.streams", this, (stream) -> stream.openStreamsOfKind(kind))
				.description("Open event streams (GET /api/events), by credential kind: key (API keys), jwt (tokens)")
				.tag("kind", kind)
				.register(meters);
		}
	}

	/** Streams held by credentials of a kind ("key:NAME", "jwt:SUBJECT"). */
	private int openStreamsOfKind(String kind) {
		String prefix = kind + ":";
		synchronized (perCredential) {
			int open = 0;
			for (Map.Entry<String, Integer> held : perCredential.entrySet()) {
				if (held.getKey().startsWith(prefix)) {
					open += held.getValue();
				}
			}
			return open;
		}
	}

	/**
	 * Opens a stream for a credential. Without {@code lastEventId} it starts with the next event; with one still in
	 * the log it resumes right after it; with one no longer in the log it first sends {@code reset} (reload your
	 * state).
	 * @throws BackendUnavailableException when the service is stopping or holds {@code max-streams} streams (503)
	 * @throws ErrorResponseException 429 when the credential holds {@code max-streams-per-credential} streams
	 */
	SseEmitter open(EventFilter filter, @Nullable String lastEventId, String credential) {
		if (!running) {
			throw new BackendUnavailableException("events", "The service is stopping: reconnect with Last-Event-ID");
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
		// Before the emitter is returned these are only buffered (written when the response starts), so they come
		// first and cannot block.
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
			throw new IllegalStateException("An unstarted event stream cannot fail to buffer", ex);
		}
		Subscriber subscriber = new Subscriber(emitter, filter, start, credential);
		admit(subscriber);
		// The container has ended the response (client gone, write failed): nothing is left to complete.
		emitter.onCompletion(() -> ended(subscriber));
		emitter.onError((error) -> ended(subscriber));
		emitter.onTimeout(() -> close(subscriber));
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

	/** How many streams this credential ("key:NAME", "jwt:SUBJECT") holds open. */
	int openStreams(String credential) {
		synchronized (perCredential) {
			return perCredential.getOrDefault(credential, 0);
		}
	}

	private void admit(Subscriber subscriber) {
		synchronized (perCredential) {
			if (subscribers.size() >= properties.maxStreams()) {
				throw new BackendUnavailableException("events", "Too many event streams open");
			}
			int held = perCredential.getOrDefault(subscriber.credential, 0);
			if (held >= properties.maxStreamsPerCredential()) {
				throw tooManyFor(properties);
			}
			perCredential.put(subscriber.credential, held + 1);
			subscribers.add(subscriber);
		}
	}

	private static ErrorResponseException tooManyFor(EventsProperties properties) {
		ErrorResponseException refused = Problems.exception(ProblemType.TOO_MANY_STREAMS,
				"Too many event streams open for this credential (at most " + properties.maxStreamsPerCredential()
						+ "): close one first");
		// A place held by a client that went away is freed when a heartbeat fails to reach it.
		long seconds = Math.max(1, (properties.heartbeat().toMillis() + 999) / 1000);
		refused.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
		return refused;
	}

	/** Frees the stream's place and cursor, once, however it ends. */
	private void release(Subscriber subscriber) {
		if (subscriber.closed.compareAndSet(false, true)) {
			synchronized (perCredential) {
				subscribers.remove(subscriber);
				perCredential.computeIfPresent(subscriber.credential,
						(credential, held) -> (held > 1) ? held - 1 : null);
			}
		}
	}

	/** The container ended the response: free the place, nothing to write or complete. */
	private void ended(Subscriber subscriber) {
		subscriber.completed = true;
		release(subscriber);
	}

	/**
	 * Ends a stream from this side. Its response is completed by whoever holds the stream's sender role: this
	 * thread when no write is in progress (completing then never waits), otherwise the sender once its write
	 * returns, so the caller (the watchdog, the container's timeout, shutdown) never waits for a client.
	 */
	private void close(Subscriber subscriber) {
		release(subscriber);
		if (subscriber.draining.compareAndSet(false, true)) {
			try {
				complete(subscriber);
			}
			finally {
				subscriber.draining.set(false);
			}
		}
	}

	private void complete(Subscriber subscriber) {
		if (!subscriber.completed) {
			subscriber.completed = true;
			try {
				subscriber.emitter.complete();
			}
			catch (RuntimeException ex) {
				// already ended by the container
			}
		}
	}

	private void kick(Subscriber subscriber) {
		if (subscriber.draining.compareAndSet(false, true)) {
			try {
				senders.execute(() -> drain(subscriber));
			}
			catch (RejectedExecutionException ex) {
				subscriber.draining.set(false);
			}
		}
	}

	/** Runs holding the stream's sender role: the only thread writing to it. */
	private void drain(Subscriber subscriber) {
		try {
			while (!subscriber.closed.get()) {
				if (subscriber.heartbeatDue.getAndSet(false)) {
					send(subscriber, SseEmitter.event().comment("heartbeat"));
				}
				List<StoredEvent> next = next(subscriber.cursor);
				if (next.isEmpty()) {
					break;
				}
				for (StoredEvent stored : next) {
					if (subscriber.closed.get()) {
						break;
					}
					if (subscriber.filter.matches(stored.event())) {
						send(subscriber, message(stored.event()));
					}
					subscriber.cursor = stored.position();
				}
			}
			if (subscriber.closed.get()) {
				complete(subscriber);
			}
		}
		catch (IOException ex) {
			// The write failed or the response has ended: the container ends it and tells the emitter (onError).
			ended(subscriber);
		}
		catch (RuntimeException ex) {
			// The log could not be read (database away): the stream stays, the next heartbeat or event retries.
			logger.debug("Event stream could not read the event log: {}", ex.toString());
		}
		finally {
			subscriber.draining.set(false);
		}
		// Work that arrived while this drain was finishing must not wait for the next event.
		if (hasWork(subscriber)) {
			kick(subscriber);
		}
	}

	private boolean hasWork(Subscriber subscriber) {
		if (subscriber.closed.get()) {
			return !subscriber.completed;
		}
		try {
			return subscriber.heartbeatDue.get() || !next(subscriber.cursor).isEmpty();
		}
		catch (RuntimeException ex) {
			return false;
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

	private static SseEmitter.SseEventBuilder message(Event event) {
		return SseEmitter.event().id(event.id()).name(event.type()).data(EventJson.of(event));
	}

	/** Writes one message; an {@link IOException} when the client is gone or the response has already ended. */
	private static void send(Subscriber subscriber, SseEmitter.SseEventBuilder message) throws IOException {
		subscriber.sendingSince = System.nanoTime();
		subscriber.sending = true;
		try {
			subscriber.emitter.send(message);
		}
		catch (IllegalStateException ex) {
			throw new IOException("The event stream's response has ended", ex);
		}
		finally {
			subscriber.sending = false;
		}
	}

	private void heartbeat() {
		for (Subscriber subscriber : subscribers) {
			subscriber.heartbeatDue.set(true);
			kick(subscriber);
		}
	}

	/** Closes the streams whose client has not taken a write within send-timeout. */
	private void closeStalledStreams() {
		long now = System.nanoTime();
		long timeout = properties.sendTimeout().toNanos();
		for (Subscriber subscriber : subscribers) {
			if (subscriber.sending && now - subscriber.sendingSince > timeout) {
				logger.debug("Closing the event stream of {}: a write has not finished within {}",
						subscriber.credential, properties.sendTimeout());
				close(subscriber);
			}
		}
	}

	@Override
	public void start() {
		running = true;
		if (scheduled.compareAndSet(false, true)) {
			long heartbeat = properties.heartbeat().toMillis();
			timer.scheduleWithFixedDelay(guarded(this::heartbeat), heartbeat, heartbeat, TimeUnit.MILLISECONDS);
			// a quarter of the timeout: a stalled stream is closed within 1.25 send-timeouts (a second at most late)
			long watch = Math.max(10, Math.min(1000, properties.sendTimeout().dividedBy(4).toMillis()));
			timer.scheduleWithFixedDelay(guarded(this::closeStalledStreams), watch, watch, TimeUnit.MILLISECONDS);
		}
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
		stop();
		timer.shutdownNow();
		senders.shutdownNow();
	}

	// A periodic task that throws is never run again: log and keep going.
	private static Runnable guarded(Runnable task) {
		return () -> {
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Event stream housekeeping failed", ex);
			}
		};
	}

	private static ThreadFactory daemon(String prefix) {
		CustomizableThreadFactory factory = new CustomizableThreadFactory(prefix);
		factory.setDaemon(true);
		return factory;
	}

	private static final class Subscriber {

		final SseEmitter emitter;

		final EventFilter filter;

		final String credential;

		/** Held by the one thread that may write to this stream. */
		final AtomicBoolean draining = new AtomicBoolean();

		final AtomicBoolean heartbeatDue = new AtomicBoolean();

		/** Its place is freed: no more events go to it. */
		final AtomicBoolean closed = new AtomicBoolean();

		/** Its response is complete (by us or by the container). */
		volatile boolean completed;

		volatile boolean sending;

		volatile long sendingSince;

		volatile long cursor;

		Subscriber(SseEmitter emitter, EventFilter filter, long cursor, String credential) {
			this.emitter = emitter;
			this.filter = filter;
			this.cursor = cursor;
			this.credential = credential;
		}

	}

}
