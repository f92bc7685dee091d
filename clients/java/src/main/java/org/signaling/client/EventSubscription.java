package org.signaling.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A Server-Sent Events subscription ({@code GET /api/events}) on its own daemon thread: it reconnects after a
 * broken or ended stream with backoff (full jitter above half the delay), resumes with {@code Last-Event-ID}, and
 * reports a {@code reset} (the resume point is older than the service keeps: reload your state). 400, 401, 403
 * and 404 stop it (retrying cannot help); 429 and 5xx are retried, honouring {@code Retry-After}. A stream silent
 * for longer than the idle timeout (default 45 s; the service sends a heartbeat every 15 s) is taken as dead and
 * reconnected. Callbacks run on the subscription's thread, one at a time, in order.
 *
 * <pre>{@code
 * try (EventSubscription events = api.events().dn("5001").type("call.*")
 *         .onEvent((event) -> System.out.println(event.type() + " " + event.data().get("call_id")))
 *         .open()) {
 *     ...
 * }
 * }</pre>
 */
public final class EventSubscription implements AutoCloseable {

	private final SignalingClient client;

	private final Builder options;

	private final Thread thread;

	private final CountDownLatch stopped = new CountDownLatch(1);

	private volatile String lastEventId;

	private volatile boolean closed;

	private volatile InputStream current;

	private volatile RuntimeException failure;

	private volatile long lastReceived;

	private volatile boolean idleExpired;

	private final ScheduledExecutorService watchdog;

	private EventSubscription(SignalingClient client, Builder options) {
		this.client = client;
		this.options = options;
		this.lastEventId = options.lastEventId;
		this.thread = new Thread(this::run, "signaling-events");
		this.thread.setDaemon(true);
		this.watchdog = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread watcher = new Thread(task, "signaling-events-watchdog");
			watcher.setDaemon(true);
			return watcher;
		});
		long period = Math.max(10, options.idleTimeout.toMillis() / 4);
		this.watchdog.scheduleAtFixedRate(this::checkIdle, period, period, TimeUnit.MILLISECONDS);
	}

	private void checkIdle() {
		InputStream stream = current;
		if (stream != null && !closed
				&& System.nanoTime() - lastReceived > options.idleTimeout.toNanos()) {
			idleExpired = true;
			try {
				stream.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
			thread.interrupt(); // a read blocked in the JDK's body stream wakes up only so
		}
	}

	/** The id of the last event received; sent as {@code Last-Event-ID} when reconnecting. */
	public String lastEventId() {
		return lastEventId;
	}

	/** The error that stopped the subscription (400, 401, 403, 404), or null. */
	public RuntimeException failure() {
		return failure;
	}

	/** Waits until the subscription has stopped (closed, or stopped by an error). */
	public boolean awaitStopped(Duration timeout) throws InterruptedException {
		return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void close() {
		closed = true;
		InputStream stream = current;
		if (stream != null) {
			try {
				stream.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
		thread.interrupt();
	}

	private void run() {
		int failures = 0;
		try {
			while (!closed) {
				long delay;
				try {
					Long retry = connect();
					failures = 0;
					delay = (retry != null) ? retry : options.minDelay.toMillis();
				}
				catch (SignalingApiException ex) {
					if (closed) {
						return;
					}
					int status = ex.status();
					boolean retryable = status == 429 || status >= 500;
					options.onError.accept(ex, retryable);
					if (!retryable) {
						failure = ex;
						return;
					}
					failures++;
					delay = Math.max(backoff(failures),
							(ex.retryAfter() != null) ? ex.retryAfter().toMillis() : 0);
				}
				catch (IOException | RuntimeException ex) {
					if (closed) {
						return;
					}
					Thread.interrupted(); // the watchdog's interrupt is spent
					Exception error = ex;
					if (idleExpired) {
						error = new SignalingNetworkException("GET /api/events: nothing received for "
								+ options.idleTimeout, (ex instanceof IOException io) ? io : new IOException(ex), true);
					}
					options.onError.accept(error, true);
					failures++;
					delay = backoff(failures);
				}
				try {
					Thread.sleep(delay);
				}
				catch (InterruptedException ex) {
					if (closed) {
						return;
					}
				}
			}
		}
		catch (InterruptedException ex) {
			// closed
		}
		finally {
			watchdog.shutdownNow();
			stopped.countDown();
		}
	}

	private long backoff(int failures) {
		long max = Math.min(options.maxDelay.toMillis(), options.minDelay.toMillis() << Math.min(failures - 1, 16));
		return max / 2 + ThreadLocalRandom.current().nextLong(max / 2 + 1);
	}

	/** One connection; returns the server's retry hint after the stream ended normally. */
	private Long connect() throws IOException, InterruptedException {
		Map<String, Object> filters = new LinkedHashMap<>();
		filters.put("dn", options.dn);
		filters.put("call_id", options.callId);
		filters.put("type", options.type);
		HttpRequest.Builder request = client.request("/api/events" + SignalingClient.query(filters))
			.timeout(client.timeout())
			.header("Accept", "text/event-stream")
			.GET();
		String resumeFrom = lastEventId;
		if (resumeFrom != null) {
			request.header("Last-Event-ID", resumeFrom);
		}
		HttpResponse<InputStream> response;
		try {
			response = client.http()
				.send(client.authenticated(request).build(), HttpResponse.BodyHandlers.ofInputStream());
		}
		catch (InterruptedException ex) {
			if (closed) {
				throw ex;
			}
			Thread.interrupted(); // a late interrupt from the watchdog: try again
			throw new IOException("interrupted while connecting", ex);
		}
		if (response.statusCode() != 200) {
			String body;
			try (InputStream in = response.body()) {
				body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
			}
			throw SignalingClient.error(response.statusCode(), body, response.headers());
		}
		long[] retry = { -1 };
		SseParser parser = new SseParser(this::dispatch, (ms) -> retry[0] = ms);
		try (InputStream in = response.body();
				BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
			idleExpired = false;
			lastReceived = System.nanoTime();
			current = in;
			if (closed) {
				return null;
			}
			options.onOpen.run();
			String line;
			while ((line = reader.readLine()) != null) {
				lastReceived = System.nanoTime();
				parser.line(line);
			}
		}
		finally {
			current = null;
		}
		return (retry[0] >= 0) ? retry[0] : null;
	}

	private void dispatch(SseParser.Message message) {
		if (closed) {
			return;
		}
		if ("reset".equals(message.event())) {
			lastEventId = null; // that point cannot be resumed from any more
			options.onReset.accept(message.data());
			return;
		}
		Event event;
		try {
			event = Event.from(message.data());
		}
		catch (IllegalArgumentException notJson) {
			event = new Event(message.id(), message.event(), null, null, null, 0, Map.of(), message.data());
		}
		if (!message.id().isEmpty()) {
			lastEventId = message.id();
		}
		options.onEvent.accept(event);
	}

	/** What to subscribe to and what to do with it; {@link #open()} starts the subscription. */
	public static final class Builder {

		private final SignalingClient client;

		private String dn;

		private String callId;

		private String type;

		private String lastEventId;

		private Consumer<Event> onEvent = (event) -> {
		};

		private Consumer<String> onReset = (data) -> {
		};

		private BiConsumer<Exception, Boolean> onError = (error, willRetry) -> {
		};

		private Runnable onOpen = () -> {
		};

		private Duration minDelay = Duration.ofMillis(500);

		private Duration maxDelay = Duration.ofSeconds(30);

		private Duration idleTimeout = Duration.ofSeconds(45);

		Builder(SignalingClient client) {
			this.client = client;
		}

		/** DNs, comma-separated. */
		public Builder dn(String dn) {
			this.dn = dn;
			return this;
		}

		/** Call ids, comma-separated. */
		public Builder callId(String callId) {
			this.callId = callId;
			return this;
		}

		/** Types, comma-separated; families such as {@code call.*}. */
		public Builder type(String type) {
			this.type = type;
			return this;
		}

		/** Resume after this event. */
		public Builder lastEventId(String lastEventId) {
			this.lastEventId = lastEventId;
			return this;
		}

		public Builder onEvent(Consumer<Event> onEvent) {
			this.onEvent = onEvent;
			return this;
		}

		/** The resume point is no longer kept; the argument is the reset's data (JSON with a {@code reason}). */
		public Builder onReset(Consumer<String> onReset) {
			this.onReset = onReset;
			return this;
		}

		/** Every error, and whether the subscription will retry. */
		public Builder onError(BiConsumer<Exception, Boolean> onError) {
			this.onError = onError;
			return this;
		}

		/** Each (re)connection. */
		public Builder onOpen(Runnable onOpen) {
			this.onOpen = onOpen;
			return this;
		}

		public Builder reconnectDelay(Duration minDelay, Duration maxDelay) {
			this.minDelay = minDelay;
			this.maxDelay = maxDelay;
			return this;
		}

		/** A stream silent this long is dead and is reconnected; the service's heartbeat comes every 15 s. */
		public Builder idleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
			return this;
		}

		public EventSubscription open() {
			EventSubscription subscription = new EventSubscription(client, this);
			subscription.thread.start();
			return subscription;
		}

	}

}
