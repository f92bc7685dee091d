package org.signaling.api.asterisk.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.asteriskjava.manager.AuthenticationFailedException;
import org.asteriskjava.manager.DefaultManagerConnection;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionState;
import org.asteriskjava.manager.ManagerEventListener;
import org.asteriskjava.manager.PingThread;
import org.asteriskjava.manager.TimeoutException;
import org.asteriskjava.manager.event.ConnectEvent;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.ProtocolIdentifierReceivedEvent;
import org.jspecify.annotations.Nullable;
import org.signaling.api.asterisk.AsteriskProperties;
import org.signaling.api.shared.BackendUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Owns the AMI session to one Asterisk node ({@link AmiConnections} keeps one per node).
 * <p>
 * On {@link #start()} (only when {@code signaling.asterisk.host} is set) it logs in on a background thread, so
 * startup never waits for Asterisk nor fails because of it. asterisk-java does not retry a failed first login, so
 * this class does, with exponential backoff, until it succeeds or {@link #stop()} is called. Once a session has been
 * up, asterisk-java reconnects by itself when it drops; a {@link PingThread} plus a socket read timeout of two ping
 * intervals make a silently dead peer count as a drop.
 * <p>
 * Event listeners registered here survive reconnects and restarts, and run on one dedicated thread
 * ({@code ami-events}) in arrival order, never on asterisk-java's single event pump thread: a listener may therefore
 * send a synchronous action without starving the pump, though it delays the events queued behind it. They also
 * receive asterisk-java's {@link ConnectEvent} (after every successful login, the cue to re-sync state) and
 * {@link DisconnectEvent}.
 */
public class AmiConnection implements SmartLifecycle {

	/** Events waiting for the listeners; beyond this they are dropped (and counted) rather than block the pump. */
	static final int EVENT_QUEUE_CAPACITY = 10_000;

	private static final Logger log = LoggerFactory.getLogger(AmiConnection.class);

	private final String node;

	private final AsteriskProperties properties;

	private final Clock clock;

	private final List<ManagerEventListener> listeners = new CopyOnWriteArrayList<>();

	private final ManagerEventListener stateTracker = this::onManagerEvent;

	private final Counter loginFailures;

	private final Counter reconnects;

	private final Counter droppedEvents;

	/** Guards start/stop. Never taken by asterisk-java's threads. */
	private final Object lifecycleLock = new Object();

	/** Guards the status fields. Held only for field updates, never across I/O. */
	private final Object statusLock = new Object();

	private final AtomicLong threadCounter = new AtomicLong();

	private AmiConnectionState state;

	private @Nullable Instant connectedSince;

	/** asterisk-java's own timestamp of the current session's ConnectEvent (epoch ms), to order DisconnectEvents. */
	private long sessionStartedAtMillis;

	private @Nullable String lastError;

	private @Nullable Instant lastErrorAt;

	private volatile @Nullable Instant lastEventAt;

	private volatile boolean running;

	private volatile boolean stopping;

	private volatile @Nullable ManagerConnection connection;

	private @Nullable PingThread pingThread;

	private @Nullable ScheduledExecutorService loginExecutor;

	private volatile @Nullable ExecutorService eventExecutor;

	/**
	 * The session to the host of {@code properties} (single-host properties, see
	 * {@link AsteriskProperties#nodeSettings()}), known as {@code node} in calls, metrics (tag {@code node}: one per
	 * configured node, so bounded) and logs.
	 */
	public AmiConnection(String node, AsteriskProperties properties, MeterRegistry meterRegistry, Clock clock) {
		this.node = node;
		this.properties = properties;
		this.clock = clock;
		this.state = properties.isConfigured() ? AmiConnectionState.STOPPED : AmiConnectionState.NOT_CONFIGURED;
		Gauge.builder("signaling.asterisk.connected", this, c -> c.status().isConnected() ? 1 : 0)
			.description("1 while the AMI session to this Asterisk node is logged in, else 0")
			.tag("node", node)
			.register(meterRegistry);
		this.loginFailures = Counter.builder("signaling.asterisk.login.failures")
			.description("Failed initial AMI login attempts (each is retried with backoff)")
			.tag("node", node)
			.register(meterRegistry);
		this.reconnects = Counter.builder("signaling.asterisk.reconnects")
			.description("AMI sessions lost after login; each starts asterisk-java's reconnect")
			.tag("node", node)
			.register(meterRegistry);
		this.droppedEvents = Counter.builder("signaling.asterisk.events.dropped")
			.description("AMI events not delivered to listeners because their queue was full")
			.tag("node", node)
			.register(meterRegistry);
	}

	/** The node's name: {@code signaling.asterisk.nodes[].name}, or {@code host:port}. */
	public String node() {
		return node;
	}

	// --- accessors for the rest of the asterisk module

	/** Whether {@code signaling.asterisk.host} is set. */
	public boolean isConfigured() {
		return properties.isConfigured();
	}

	/** The session's state, from memory. */
	public AmiStatus status() {
		synchronized (statusLock) {
			return new AmiStatus(state, properties.server(), connectedSince, lastError, lastErrorAt, lastEventAt);
		}
	}

	/**
	 * The logged-in connection, to send actions on. It may still drop right after this returns: callers must also
	 * treat asterisk-java's {@link IllegalStateException} ("not CONNECTED") as unavailability.
	 * @throws BackendUnavailableException when Asterisk is not configured or not logged in
	 */
	public ManagerConnection requireConnected() {
		ManagerConnection current = connection;
		AmiStatus status = status();
		if (current == null || !status.isConnected()) {
			throw new BackendUnavailableException("asterisk", switch (status.state()) {
				case NOT_CONFIGURED -> "Asterisk is not configured";
				case RECONNECTING -> "Asterisk connection lost, reconnecting";
				default -> "Asterisk unreachable";
			});
		}
		return current;
	}

	/**
	 * Registers a listener for every AMI event, kept across reconnects. It runs on the {@code ami-events} thread,
	 * never on asterisk-java's pump thread; exceptions it throws are logged and swallowed.
	 */
	public void addEventListener(ManagerEventListener listener) {
		listeners.add(listener);
	}

	public void removeEventListener(ManagerEventListener listener) {
		listeners.remove(listener);
	}

	// --- SmartLifecycle

	@Override
	public void start() {
		synchronized (lifecycleLock) {
			if (running) {
				return;
			}
			running = true;
			stopping = false;
			if (!properties.isConfigured()) {
				log.info("Asterisk not configured (signaling.asterisk.host is empty): AMI disabled");
				return;
			}
			eventExecutor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
					new ArrayBlockingQueue<>(EVENT_QUEUE_CAPACITY), daemonThreads("ami-events"));
			ManagerConnection created = createManagerConnection();
			created.addEventListener(stateTracker);
			connection = created;
			PingThread ping = new PingThread(created);
			ping.setInterval(properties.pingInterval().toMillis());
			ping.setTimeout(properties.responseTimeout().toMillis());
			ping.start();
			pingThread = ping;
			ScheduledThreadPoolExecutor login = new ScheduledThreadPoolExecutor(1, daemonThreads("ami-login"));
			login.setRemoveOnCancelPolicy(true);
			loginExecutor = login;
			setState(AmiConnectionState.CONNECTING);
			log.info("Connecting to Asterisk AMI at {} as '{}'", properties.server(), properties.username());
			login.execute(() -> attemptLogin(created, properties.reconnectInitialBackoff()));
		}
	}

	@Override
	public void stop() {
		synchronized (lifecycleLock) {
			if (!running) {
				return;
			}
			stopping = true;
			ManagerConnection current = connection;
			if (current != null) {
				stopLoginRetries();
				PingThread ping = pingThread;
				if (ping != null) {
					ping.die();
				}
				logoff(current);
				current.removeEventListener(stateTracker);
				stopEventDelivery();
			}
			connection = null;
			pingThread = null;
			loginExecutor = null;
			eventExecutor = null;
			synchronized (statusLock) {
				state = properties.isConfigured() ? AmiConnectionState.STOPPED : AmiConnectionState.NOT_CONFIGURED;
				connectedSince = null;
			}
			running = false;
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	// --- internals

	/** Builds the connection; no I/O happens here. */
	private ManagerConnection createManagerConnection() {
		DefaultManagerConnection created = new DefaultManagerConnection();
		created.setHostname(Objects.requireNonNull(properties.host()).strip());
		created.setPort(properties.port());
		created.setUsername(properties.username());
		created.setPassword(properties.password());
		created.setSocketTimeout(toIntMillis(properties.connectTimeout()));
		// Without a read timeout a half-open TCP session is never noticed; pings keep a live one busy.
		created.setSocketReadTimeout(toIntMillis(properties.pingInterval().multipliedBy(2)));
		created.setDefaultResponseTimeout(properties.responseTimeout().toMillis());
		return created;
	}

	private void attemptLogin(ManagerConnection target, Duration backoff) {
		if (stopping) {
			return;
		}
		setState(AmiConnectionState.CONNECTING);
		try {
			// Fires ConnectEvent (on this thread) before returning; onManagerEvent marks the session CONNECTED.
			target.login();
			log.info("Logged in to Asterisk AMI at {} (protocol '{}', version {})", properties.server(),
					target.getProtocolIdentifier(), target.getVersion());
			return;
		}
		catch (AuthenticationFailedException | IOException | TimeoutException | RuntimeException ex) {
			if (stopping) {
				return;
			}
			loginFailures.increment();
			String message = recordError("Login failed: " + describe(ex));
			setState(AmiConnectionState.DOWN);
			log.warn("AMI login to {} failed ({}); retrying in {} ms", properties.server(), message,
					backoff.toMillis());
		}
		Duration next = backoff.multipliedBy(2);
		Duration nextBackoff = next.compareTo(properties.reconnectMaxBackoff()) > 0 ? properties.reconnectMaxBackoff()
				: next;
		try {
			ScheduledExecutorService executor = loginExecutor;
			if (executor != null) {
				executor.schedule(() -> attemptLogin(target, nextBackoff), backoff.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (RejectedExecutionException ex) {
			// stop() has shut the executor down.
		}
	}

	/** Runs on asterisk-java's pump thread (or the login thread for ConnectEvent): field updates only. */
	private void onManagerEvent(ManagerEvent event) {
		if (event instanceof ConnectEvent) {
			synchronized (statusLock) {
				state = AmiConnectionState.CONNECTED;
				connectedSince = clock.instant();
				sessionStartedAtMillis = libraryTimestamp(event);
			}
		}
		else if (event instanceof DisconnectEvent) {
			reconnects.increment();
			long lostAtMillis = libraryTimestamp(event);
			boolean current;
			synchronized (statusLock) {
				// asterisk-java starts its reconnect thread before dispatching this event: if that reconnect has
				// already logged in again, this event belongs to the previous session and must not mark us down.
				boolean newerSessionUp = state == AmiConnectionState.CONNECTED && sessionStartedAtMillis > lostAtMillis;
				current = !stopping && !newerSessionUp;
				if (current) {
					state = AmiConnectionState.RECONNECTING;
					connectedSince = null;
				}
			}
			if (current) {
				recordError("Connection to Asterisk lost");
				log.warn("AMI session to {} lost; asterisk-java is reconnecting", properties.server());
			}
		}
		else if (!(event instanceof ProtocolIdentifierReceivedEvent)) {
			lastEventAt = clock.instant();
		}
		deliver(event);
	}

	private void deliver(ManagerEvent event) {
		ExecutorService executor = eventExecutor;
		if (executor == null || listeners.isEmpty()) {
			return;
		}
		try {
			executor.execute(() -> {
				for (ManagerEventListener listener : listeners) {
					try {
						listener.onManagerEvent(event);
					}
					catch (RuntimeException ex) {
						log.warn("AMI event listener {} failed on {}", listener.getClass().getName(),
								event.getClass().getSimpleName(), ex);
					}
				}
			});
		}
		catch (RejectedExecutionException ex) {
			if (!executor.isShutdown()) {
				droppedEvents.increment();
				log.error("AMI event listeners are too slow: dropped {}", event.getClass().getSimpleName());
			}
		}
	}

	private void stopLoginRetries() {
		ScheduledExecutorService executor = loginExecutor;
		if (executor == null) {
			return;
		}
		// Interrupting a login makes asterisk-java abandon its waits; only the TCP connect is not interruptible.
		executor.shutdownNow();
		Duration bound = properties.connectTimeout().plus(properties.responseTimeout().multipliedBy(2));
		if (!awaitTermination(executor, bound)) {
			log.warn("AMI login thread did not stop within {}", bound);
		}
	}

	private void logoff(ManagerConnection current) {
		ManagerConnectionState libraryState = current.getState();
		if (libraryState != ManagerConnectionState.CONNECTED && libraryState != ManagerConnectionState.RECONNECTING) {
			return;
		}
		try {
			// Sends Logoff (when a socket is open) and stops asterisk-java's reconnect loop.
			current.logoff();
			log.info("Logged off from Asterisk AMI at {}", properties.server());
		}
		catch (IllegalStateException ex) {
			log.debug("AMI logoff skipped: {}", ex.getMessage());
		}
	}

	private void stopEventDelivery() {
		ExecutorService executor = eventExecutor;
		if (executor == null) {
			return;
		}
		executor.shutdown();
		if (!awaitTermination(executor, properties.responseTimeout())) {
			executor.shutdownNow();
		}
	}

	private void setState(AmiConnectionState newState) {
		synchronized (statusLock) {
			state = newState;
			if (newState != AmiConnectionState.CONNECTED) {
				connectedSince = null;
			}
		}
	}

	/** Records a failure for health, with the password scrubbed should a message ever echo it. */
	private String recordError(String message) {
		String password = properties.password();
		String safe = (password == null || password.isEmpty()) ? message : message.replace(password, "******");
		synchronized (statusLock) {
			lastError = safe;
			lastErrorAt = clock.instant();
		}
		return safe;
	}

	/** The library stamps its pseudo-events with its own wall clock; compare them with each other only. */
	private static long libraryTimestamp(ManagerEvent event) {
		return event.getDateReceived() != null ? event.getDateReceived().getTime() : System.currentTimeMillis();
	}

	private static String describe(Throwable ex) {
		String message = ex.getMessage();
		return (message == null || message.isBlank()) ? ex.getClass().getSimpleName() : message;
	}

	private static boolean awaitTermination(ExecutorService executor, Duration bound) {
		try {
			return executor.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static int toIntMillis(Duration duration) {
		return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
	}

	private ThreadFactory daemonThreads(String prefix) {
		return runnable -> {
			Thread thread = new Thread(runnable, prefix + "-" + threadCounter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
