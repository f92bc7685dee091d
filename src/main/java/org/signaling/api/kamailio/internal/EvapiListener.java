package org.signaling.api.kamailio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jdk.net.ExtendedSocketOptions;
import org.jspecify.annotations.Nullable;
import org.signaling.api.dn.DnSyntax;
import org.signaling.api.kamailio.internal.KamailioStateView.Part;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kamailio's push events (the evapi module: netstrings over TCP) as hints to refresh the live view now rather than at
 * the next tick. An event only names what changed ({@code register}, {@code dialog}, {@code dispatcher}), and a
 * {@code register} event the AoR ({@code "aor":"5001"}); the state itself is always read back over JSON-RPC. The AoR
 * comes from a SIP message: it is taken only when it is a DN (anything else makes the event one that names no AoR),
 * so nothing else a SIP client wrote reaches the service this way.
 *
 * <p>One daemon thread connects, reads and reconnects with backoff ({@link #FIRST_BACKOFF} doubling to
 * {@link #MAX_BACKOFF}) until stopped. After every (re)connect it refreshes every part of the view: evapi keeps
 * nothing while no client is connected. A malformed frame drops the connection. A push outage is not an outage of
 * the view: the periodic refresh goes on, only slower to notice changes.
 */
class EvapiListener implements SmartLifecycle {

	/** Longest payload taken; Kamailio's own are a few dozen bytes. */
	static final int MAX_FRAME = 64 * 1024;

	static final Duration FIRST_BACKOFF = Duration.ofMillis(500);

	static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

	static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

	/**
	 * Dead-peer detection on an idle connection (evapi sends nothing when nothing happens, so a read timeout would
	 * only cut healthy quiet connections): TCP keepalive after 10 s idle, 3 probes 5 s apart.
	 */
	private static final int KEEPALIVE_IDLE_S = 10;

	private static final int KEEPALIVE_INTERVAL_S = 5;

	private static final int KEEPALIVE_COUNT = 3;

	private static final Logger log = LoggerFactory.getLogger(EvapiListener.class);

	private final @Nullable String host;

	private final int port;

	private final PushHints view;

	private final JsonMapper json;

	private final Duration connectTimeout;

	private final Duration firstBackoff;

	private final Duration maxBackoff;

	private final Map<String, Counter> events;

	private final Object lock = new Object();

	/** The running listener's thread, socket and stop signal; all null while stopped. Guarded by {@link #lock}. */
	private @Nullable Thread thread;

	private @Nullable Socket socket;

	private @Nullable CountDownLatch stopSignal;

	private volatile boolean connected;

	/**
	 * @param address {@code host:port} ({@code [v6]:port}) of evapi; null or empty: push is off, start does nothing
	 * @param view what the events are told to: the live view
	 */
	EvapiListener(@Nullable String address, PushHints view, JsonMapper json, Duration connectTimeout,
			MeterRegistry meters) {
		this(address, view, json, connectTimeout, FIRST_BACKOFF, MAX_BACKOFF, meters);
	}

	EvapiListener(@Nullable String address, PushHints view, JsonMapper json, Duration connectTimeout,
			Duration firstBackoff, Duration maxBackoff, MeterRegistry meters) {
		if (address == null || address.isEmpty()) {
			this.host = null;
			this.port = 0;
		}
		else {
			int colon = address.lastIndexOf(':');
			if (colon <= 0) {
				throw new IllegalArgumentException("evapi address must be host:port: " + address);
			}
			String name = address.substring(0, colon);
			this.host = (name.startsWith("[") && name.endsWith("]")) ? name.substring(1, name.length() - 1) : name;
			this.port = Integer.parseInt(address.substring(colon + 1));
		}
		this.view = view;
		this.json = json;
		this.connectTimeout = connectTimeout;
		this.firstBackoff = firstBackoff;
		this.maxBackoff = maxBackoff;
		// node: the evapi address, one per configured Kamailio node (bounded)
		String node = String.valueOf(address());
		this.events = Map.of(Kind.REGISTER, counter(meters, Kind.REGISTER, node), Kind.DIALOG,
				counter(meters, Kind.DIALOG, node), Kind.DISPATCHER, counter(meters, Kind.DISPATCHER, node),
				Kind.OTHER, counter(meters, Kind.OTHER, node), Kind.INVALID, counter(meters, Kind.INVALID, node),
				Kind.MALFORMED, counter(meters, Kind.MALFORMED, node));
		if (host != null) {
			Gauge.builder("signaling.kamailio.push.connected", this, (listener) -> listener.connected ? 1 : 0)
				.description("1 while connected to this Kamailio node's push events (evapi), 0 while not")
				.tag("node", node)
				.register(meters);
		}
	}

	private static Counter counter(MeterRegistry meters, String kind, String node) {
		return Counter.builder("signaling.kamailio.push.events")
			.description("Push events from Kamailio (evapi) by kind: register, dialog, dispatcher; other (unknown "
					+ "event), invalid (not a JSON object), malformed (broken framing: connection dropped)")
			.tag("event", kind)
			.tag("node", node)
			.register(meters);
	}

	/** Connected, disconnected (reconnecting) or disabled (no address configured). */
	Status status() {
		if (host == null) {
			return Status.DISABLED;
		}
		return connected ? Status.CONNECTED : Status.DISCONNECTED;
	}

	/** {@code host:port} as configured, or null when push is off. */
	@Nullable String address() {
		return (host == null) ? null : (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
	}

	@Override
	public void start() {
		if (host == null) {
			log.info("Kamailio push events are off (signaling.kamailio.evapi-address not set): polling only");
			return;
		}
		synchronized (lock) {
			if (thread != null) {
				return;
			}
			CountDownLatch signal = new CountDownLatch(1);
			Thread listener = new Thread(() -> run(signal), "kamailio-evapi");
			listener.setDaemon(true);
			stopSignal = signal;
			thread = listener;
			listener.start();
		}
	}

	@Override
	public void stop() {
		Thread listener;
		synchronized (lock) {
			listener = thread;
			if (listener == null) {
				return;
			}
			CountDownLatch signal = stopSignal;
			if (signal != null) {
				signal.countDown();
			}
			closeQuietly(socket);
			thread = null;
			socket = null;
			stopSignal = null;
		}
		try {
			listener.join(STOP_TIMEOUT.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (listener.isAlive()) {
			log.warn("Kamailio push listener did not stop within {}", STOP_TIMEOUT);
		}
	}

	@Override
	public boolean isRunning() {
		synchronized (lock) {
			return thread != null;
		}
	}

	private void run(CountDownLatch stopped) {
		Duration backoff = firstBackoff;
		// failed attempts since the last connection; whether this outage was logged at WARN already
		int failures = 0;
		boolean reported = false;
		while (stopped.getCount() > 0) {
			long connectedAt = 0;
			String problem = null;
			try (Socket connection = new Socket()) {
				if (!hold(connection, stopped)) {
					return;
				}
				keepAlive(connection);
				connection.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
				connectedAt = System.nanoTime();
				onConnected(failures, reported);
				failures = 0;
				reported = false;
				problem = read(connection.getInputStream());
			}
			catch (NetstringDecoder.MalformedFrameException ex) {
				events.get(Kind.MALFORMED).increment();
				problem = "malformed frame (" + ex.getMessage() + "), connection dropped";
			}
			catch (IOException ex) {
				problem = describe(ex);
			}
			catch (RuntimeException ex) {
				// A bug here must not end push for good: treat it as a lost connection.
				log.error("Kamailio push listener failed", ex);
				problem = ex.toString();
			}
			finally {
				release();
			}
			if (connectedAt != 0) {
				connected = false;
				view.pushConnected(false);
			}
			if (stopped.getCount() == 0) {
				return;
			}
			if (connectedAt != 0) {
				log.warn("Kamailio push events from {} lost: {}; reconnecting, the view is polled meanwhile", address(),
						problem);
				reported = true;
				if (System.nanoTime() - connectedAt >= maxBackoff.toNanos()) {
					backoff = firstBackoff;
				}
			}
			else {
				failures++;
				if (!reported) {
					log.warn("Kamailio push events from {} unavailable: {}; retrying, the view is polled meanwhile",
							address(), problem);
					reported = true;
				}
				else {
					log.debug("Kamailio push events from {} still unavailable: {}", address(), problem);
				}
			}
			try {
				if (stopped.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
					return;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			backoff = (backoff.compareTo(maxBackoff.dividedBy(2)) > 0) ? maxBackoff : backoff.multipliedBy(2);
		}
	}

	/** Makes the socket the one {@link #stop()} closes; false when stopping already. */
	private boolean hold(Socket connection, CountDownLatch stopped) {
		synchronized (lock) {
			if (stopped.getCount() == 0) {
				return false;
			}
			socket = connection;
			return true;
		}
	}

	private void release() {
		synchronized (lock) {
			socket = null;
		}
	}

	private void onConnected(int failures, boolean afterOutage) {
		connected = true;
		if (afterOutage && failures > 0) {
			log.info("Kamailio push events from {} connected again after {} failed attempt(s)", address(), failures);
		}
		else if (afterOutage) {
			log.info("Kamailio push events from {} connected again", address());
		}
		else {
			log.info("Kamailio push events from {} connected", address());
		}
		// Whatever happened while disconnected was not pushed: read it all back.
		view.pushConnected(true);
		for (Part part : Part.values()) {
			view.refreshSoon(part);
		}
	}

	/** Reads frames until Kamailio closes the connection; says how it ended. */
	private String read(InputStream in) throws IOException {
		NetstringDecoder decoder = new NetstringDecoder(MAX_FRAME);
		byte[] buffer = new byte[8192];
		int count;
		while ((count = in.read(buffer)) != -1) {
			decoder.decode(buffer, 0, count, this::onFrame);
		}
		return decoder.isBetweenFrames() ? "closed by Kamailio" : "closed by Kamailio inside a frame";
	}

	private void onFrame(byte[] payload) {
		JsonNode root = parse(payload);
		String kind = kindOf(root);
		events.get(kind).increment();
		switch (kind) {
			case Kind.REGISTER -> {
				String aor = aorOf(root);
				if (aor != null) {
					view.registrationChanged(aor);
				}
				else {
					view.refreshSoon(Part.REGISTRATIONS);
				}
			}
			case Kind.DIALOG -> view.refreshSoon(Part.DIALOGS);
			case Kind.DISPATCHER -> view.refreshSoon(Part.DISPATCHER);
			default -> log.debug("Ignoring a Kamailio push event of {} bytes ({})", payload.length, kind);
		}
	}

	private @Nullable JsonNode parse(byte[] payload) {
		try {
			return json.readTree(payload);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/** What a payload is about; see {@link #kindOf(JsonNode)}. */
	String kindOf(byte[] payload) {
		return kindOf(parse(payload));
	}

	/**
	 * The AoR a {@code register} event names, when it is a DN (the bare user the project's kamailio.cfg stores with
	 * use_domain 0); null for none, or for anything else, which is then treated as naming none.
	 */
	static @Nullable String aorOf(@Nullable JsonNode root) {
		JsonNode aor = (root != null) ? root.path("aor") : null;
		return (aor != null && aor.isString() && DnSyntax.isValid(aor.asString())) ? aor.asString() : null;
	}

	/**
	 * What a payload is about, from its {@code event} member alone: the project's kamailio.cfg sends
	 * {@code {"event":"register","aor":"5001"}}, {@code "dialog"} and {@code "dispatcher"}; {@code dialog-start},
	 * {@code dispatcher-dst-up} and the like (older lab configs) count as the same.
	 */
	private static String kindOf(@Nullable JsonNode root) {
		if (root == null || !root.isObject()) {
			return Kind.INVALID;
		}
		JsonNode event = root.path("event");
		if (!event.isString()) {
			return Kind.OTHER;
		}
		String name = event.asString().toLowerCase(Locale.ROOT);
		if (name.equals("register")) {
			return Kind.REGISTER;
		}
		if (name.equals("dialog") || name.startsWith("dialog-")) {
			return Kind.DIALOG;
		}
		if (name.equals("dispatcher") || name.startsWith("dispatcher-")) {
			return Kind.DISPATCHER;
		}
		return Kind.OTHER;
	}

	private static void keepAlive(Socket connection) throws SocketException {
		connection.setKeepAlive(true);
		try {
			connection.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, KEEPALIVE_IDLE_S);
			connection.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, KEEPALIVE_INTERVAL_S);
			connection.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, KEEPALIVE_COUNT);
		}
		catch (UnsupportedOperationException | IOException ex) {
			// Not on this platform: the system's keepalive timing applies.
		}
	}

	private static String describe(IOException ex) {
		return (ex.getMessage() != null) ? ex.getClass().getSimpleName() + ": " + ex.getMessage()
				: ex.getClass().getSimpleName();
	}

	private static void closeQuietly(@Nullable Socket connection) {
		if (connection != null) {
			try {
				connection.close();
			}
			catch (IOException ex) {
				// closing to stop: nothing to do
			}
		}
	}

	/** The state of the push connection, as health shows it. */
	enum Status {

		CONNECTED, DISCONNECTED, DISABLED;

		String value() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/** The values of the {@code event} tag. */
	static final class Kind {

		static final String REGISTER = "register";

		static final String DIALOG = "dialog";

		static final String DISPATCHER = "dispatcher";

		static final String OTHER = "other";

		static final String INVALID = "invalid";

		static final String MALFORMED = "malformed";

		private Kind() {
		}

	}

}
