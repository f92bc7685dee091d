package org.signaling.api.testsupport.ami;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An Asterisk Manager Interface server double for tests, speaking the AMI wire protocol over TCP on 127.0.0.1 (an
 * ephemeral port), close enough to Asterisk 20/22 for the real asterisk-java client (see
 * {@code shared/reference/asterisk-ami.md} §1 and §4.2).
 * <ul>
 * <li>On accept it writes the banner {@code Asterisk Call Manager/9.0.0} and no blank line.</li>
 * <li>It reads lines ending in CRLF or a bare LF; a blank line ends a message. Header names match case-insensitively,
 * the first occurrence wins. It writes CRLF only, and serializes writes per session.</li>
 * <li>It echoes {@code ActionID} verbatim (omitted when absent or empty) right after {@code Response}.</li>
 * <li>Built in: {@code Challenge} (MD5), {@code Login} (MD5 {@code Key} or plain {@code Secret}; on failure Error,
 * then close), {@code Logoff} (Goodbye, then close), {@code Ping}, {@code CoreSettings}, {@code Command}
 * ({@code core show version}). Before login every other action gets {@code Permission denied}; an unknown action
 * gets {@code Invalid/unknown command}; a message without {@code Action} gets {@code Missing action in request}.
 * After a successful login it sends {@code FullyBooted}.</li>
 * <li>Call control, over a model of live channels and bridges with scripted progress ({@link #calls()},
 * {@link SimulatedCalls}, {@link CallScript}): {@code Originate} (async; to an extension, or to an application such
 * as {@code ChanSpy}), {@code Hangup} (by name or Uniqueid), {@code CoreShowChannels}, hold and unhold
 * ({@code Redirect}, {@code Bridge}), {@code PlayDTMF}, {@code MuteAudio}, recording ({@code MixMonitor},
 * {@code StopMixMonitor}, {@code MixMonitorMute}) and transfers ({@code BlindTransfer}, {@code Atxfer},
 * {@code CancelAtxfer}).</li>
 * </ul>
 * Test hooks: {@link #onAction} adds or replaces the handler of an action (e.g. an Originate answered with an
 * Error), {@link #calls()} (call scripts, manual stepping, suppressed events, far-side hang-up, truncated channel
 * lists), {@link #neverAnswer}, {@link #dropAllConnections},
 * {@link #stopListening}/{@link #startListening} (refuse connections, then accept again on the same port),
 * {@link #pushEvent}, and {@link #receivedMessages()} (every message received, raw text included).
 * <p>
 * Differences from Asterisk: a failed login is answered at once (Asterisk waits 1 s); there is no authtimeout, no
 * per-user permission classes and no line or header-count limits. Every thread it starts is a daemon and ends on
 * {@link #close()}.
 */
public final class AmiServerDouble implements AutoCloseable {

	public static final String HOST = "127.0.0.1";

	public static final String DEFAULT_BANNER = "Asterisk Call Manager/9.0.0";

	public static final String DEFAULT_ASTERISK_VERSION = "20.9.3";

	/** Received messages kept for assertions; older ones are dropped beyond this. */
	private static final int MAX_RECORDED = 10_000;

	/** Longest line read; a longer one closes the session (protects the test JVM, not an Asterisk rule). */
	private static final int MAX_LINE_BYTES = 64 * 1024;

	private static final Set<String> ALLOWED_BEFORE_LOGIN = Set.of("login", "logoff", "challenge");

	private final Map<String, AmiActionHandler> handlers = new ConcurrentHashMap<>();

	private final SimulatedCalls calls = new SimulatedCalls(this);

	private final Set<String> silentActions = ConcurrentHashMap.newKeySet();

	private final List<AmiSession> sessions = new CopyOnWriteArrayList<>();

	private final List<AmiMessage> received = new ArrayList<>();

	private final AtomicInteger acceptedConnections = new AtomicInteger();

	private final AtomicLong sessionIds = new AtomicLong();

	private final List<Thread> threads = new CopyOnWriteArrayList<>();

	private final Object listenLock = new Object();

	private final int port;

	private volatile String username;

	private volatile String secret;

	private volatile String banner = DEFAULT_BANNER;

	private volatile String asteriskVersion = DEFAULT_ASTERISK_VERSION;

	private ServerSocket serverSocket;

	private Thread acceptor;

	private AmiServerDouble(String username, String secret, int listenPort) throws IOException {
		this.username = username;
		this.secret = secret;
		installDefaultHandlers();
		synchronized (listenLock) {
			serverSocket = bind(listenPort);
			port = serverSocket.getLocalPort();
			startAcceptor(serverSocket);
		}
	}

	/** Starts a double listening on 127.0.0.1 on an ephemeral port, accepting this AMI user. */
	public static AmiServerDouble start(String username, String secret) throws IOException {
		return new AmiServerDouble(username, secret, 0);
	}

	/** Starts a double on 127.0.0.1 on a given port (for running it by hand, see {@link AmiDoubleMain}). */
	public static AmiServerDouble start(String username, String secret, int port) throws IOException {
		return new AmiServerDouble(username, secret, port);
	}

	public String host() {
		return HOST;
	}

	public int port() {
		return port;
	}

	/** The simulated calls behind the call-control actions: scripts, hooks and what the actions changed. */
	public SimulatedCalls calls() {
		return calls;
	}

	// --- configuration hooks

	/** Adds or replaces the handler of an action (name case-insensitive). */
	public AmiServerDouble onAction(String action, AmiActionHandler handler) {
		handlers.put(key(action), handler);
		return this;
	}

	/** The current handler of an action, e.g. to wrap it (name case-insensitive); null if none. */
	public AmiActionHandler handlerOf(String action) {
		return handlers.get(key(action));
	}

	/** Removes an action's handler, so it becomes an unknown command. */
	public AmiServerDouble removeAction(String action) {
		handlers.remove(key(action));
		return this;
	}

	/** Records but never answers this action from now on (for timeout tests). */
	public AmiServerDouble neverAnswer(String action) {
		silentActions.add(key(action));
		return this;
	}

	/** Undoes {@link #neverAnswer}. */
	public AmiServerDouble answerAgain(String action) {
		silentActions.remove(key(action));
		return this;
	}

	/** Changes the secret accepted from now on (existing sessions stay logged in). */
	public AmiServerDouble setSecret(String secret) {
		this.secret = secret;
		return this;
	}

	/** Changes the user accepted from now on. */
	public AmiServerDouble setUsername(String username) {
		this.username = username;
		return this;
	}

	/** The banner line written on accept, without CRLF. */
	public AmiServerDouble setBanner(String banner) {
		this.banner = banner;
		return this;
	}

	/** The version reported by {@code CoreSettings} and {@code core show version}. */
	public AmiServerDouble setAsteriskVersion(String version) {
		this.asteriskVersion = version;
		return this;
	}

	// --- connection hooks

	/** Closes every client connection from the server side; the server keeps listening. */
	public void dropAllConnections() {
		for (AmiSession session : sessions) {
			session.close();
		}
	}

	/** Stops listening (new connections are refused) and drops every client connection. */
	public void stopListening() {
		synchronized (listenLock) {
			closeQuietly(serverSocket);
			serverSocket = null;
			// The kernel keeps the port listening until the thread blocked in accept() has left it.
			joinQuietly(acceptor);
			acceptor = null;
		}
		dropAllConnections();
	}

	/** Listens again on the same port after {@link #stopListening()}. */
	public void startListening() throws IOException {
		synchronized (listenLock) {
			if (serverSocket != null) {
				return;
			}
			serverSocket = bind(port);
			startAcceptor(serverSocket);
		}
	}

	public boolean isListening() {
		synchronized (listenLock) {
			return serverSocket != null;
		}
	}

	/**
	 * Writes an event to every logged-in session, as Asterisk only sends events after login.
	 * @return how many sessions it was written to
	 */
	public int pushEvent(AmiMessage event) {
		int written = 0;
		for (AmiSession session : sessions) {
			if (session.isLoggedIn() && session.send(event)) {
				written++;
			}
		}
		return written;
	}

	// --- observation

	/** Every message received so far, oldest first. */
	public List<AmiMessage> receivedMessages() {
		synchronized (received) {
			return List.copyOf(received);
		}
	}

	/** The received messages whose {@code Action} is this one (case-insensitive). */
	public List<AmiMessage> receivedActions(String action) {
		return receivedMessages().stream().filter(m -> m.isAction(action)).toList();
	}

	public void clearReceived() {
		synchronized (received) {
			received.clear();
		}
	}

	/** Connections accepted since start. */
	public int acceptedConnections() {
		return acceptedConnections.get();
	}

	/** The sessions whose socket is still open. */
	public List<AmiSession> openSessions() {
		return sessions.stream().filter(AmiSession::isOpen).toList();
	}

	public long loggedInSessionCount() {
		return sessions.stream().filter(s -> s.isOpen() && s.isLoggedIn()).count();
	}

	@Override
	public void close() {
		stopListening();
		for (Thread thread : threads) {
			joinQuietly(thread);
		}
	}

	// --- internals

	private static ServerSocket bind(int port) throws IOException {
		ServerSocket socket = new ServerSocket();
		socket.setReuseAddress(true);
		socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port), 50);
		return socket;
	}

	private void startAcceptor(ServerSocket listening) {
		Thread thread = new Thread(() -> acceptLoop(listening), "ami-double-accept-" + listening.getLocalPort());
		thread.setDaemon(true);
		threads.add(thread);
		acceptor = thread;
		thread.start();
	}

	/** Ends when the server socket is closed. */
	private void acceptLoop(ServerSocket listening) {
		try {
			acceptUntilClosed(listening);
		}
		finally {
			threads.remove(Thread.currentThread());
		}
	}

	private void acceptUntilClosed(ServerSocket listening) {
		while (!listening.isClosed()) {
			Socket socket;
			try {
				socket = listening.accept();
			}
			catch (IOException ex) {
				return;
			}
			if (listening.isClosed()) {
				closeQuietly(socket);
				return;
			}
			acceptedConnections.incrementAndGet();
			try {
				// Each message is one write, as Asterisk sends it; without this, Nagle holds a response written
				// right after an event until the client's delayed ACK (tens of ms on loopback).
				socket.setTcpNoDelay(true);
				AmiSession session = new AmiSession(sessionIds.incrementAndGet(), socket);
				sessions.add(session);
				Thread reader = new Thread(() -> serve(session, socket), "ami-double-session-" + session.id());
				reader.setDaemon(true);
				threads.add(reader);
				reader.start();
			}
			catch (IOException ex) {
				closeQuietly(socket);
			}
		}
	}

	/** Ends when the socket is closed by either side. */
	private void serve(AmiSession session, Socket socket) {
		try (socket) {
			session.sendRaw(banner + "\r\n");
			InputStream in = new BufferedInputStream(socket.getInputStream());
			List<String> lines = new ArrayList<>();
			StringBuilder raw = new StringBuilder();
			String line;
			while ((line = readLine(in, raw)) != null) {
				String content = line.endsWith("\r\n") ? line.substring(0, line.length() - 2)
						: line.substring(0, line.length() - 1);
				if (!content.isEmpty()) {
					lines.add(content);
					continue;
				}
				if (!lines.isEmpty()) {
					AmiMessage message = AmiMessage.parse(lines, raw.toString());
					record(message);
					handle(session, message);
				}
				lines = new ArrayList<>();
				raw.setLength(0);
			}
		}
		catch (IOException ex) {
			// the connection is gone
		}
		finally {
			sessions.remove(session);
			threads.remove(Thread.currentThread());
		}
	}

	/** One line including its LF (and CR, if any), appended to {@code raw}; {@code null} at end of stream. */
	private static String readLine(InputStream in, StringBuilder raw) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != -1) {
			bytes.write(b);
			if (b == '\n') {
				String line = bytes.toString(StandardCharsets.UTF_8);
				raw.append(line);
				return line;
			}
			if (bytes.size() > MAX_LINE_BYTES) {
				throw new IOException("line too long");
			}
		}
		return null;
	}

	private void record(AmiMessage message) {
		synchronized (received) {
			if (received.size() >= MAX_RECORDED) {
				received.remove(0);
			}
			received.add(message);
		}
	}

	private void handle(AmiSession session, AmiMessage message) throws IOException {
		String action = message.action();
		if (action == null || action.isBlank()) {
			session.error(message, "Missing action in request");
			return;
		}
		String key = key(action);
		if (silentActions.contains(key)) {
			return;
		}
		if (!session.isLoggedIn() && !ALLOWED_BEFORE_LOGIN.contains(key)) {
			session.error(message, "Permission denied");
			return;
		}
		AmiActionHandler handler = handlers.get(key);
		if (handler == null) {
			session.error(message,
					"Invalid/unknown command: " + action + ". Use Action: ListCommands to show available commands.");
			return;
		}
		handler.handle(session, message);
	}

	private void installDefaultHandlers() {
		onAction("Challenge", (session, action) -> {
			String authType = action.get("AuthType");
			if (authType == null || !authType.equalsIgnoreCase("MD5")) {
				session.error(action, "Must specify AuthType");
				return;
			}
			session.success(action, "Challenge", session.challenge());
		});
		onAction("Login", this::login);
		onAction("Logoff", (session, action) -> {
			session.respond(action, "Goodbye", "Message", "Thanks for all the fish.");
			session.close();
		});
		onAction("Ping", (session, action) -> session.success(action, "Ping", "Pong", "Timestamp", timestamp()));
		onAction("CoreSettings",
				(session, action) -> session.success(action, "AMIversion", amiVersion(), "AsteriskVersion",
						asteriskVersion, "SystemName", "", "CoreMaxCalls", "0", "CoreMaxLoadAvg", "0.000000",
						"CoreRunUser", "asterisk", "CoreRunGroup", "asterisk", "CoreMaxFilehandles", "0",
						"CoreRealTimeEnabled", "No", "CoreCDRenabled", "Yes", "CoreHTTPenabled", "No",
						"SoundsSearchCustomDir", "No"));
		onAction("Command", (session, action) -> {
			String command = String.valueOf(action.get("Command")).strip();
			String output = command.equalsIgnoreCase("core show version")
					? "Asterisk " + asteriskVersion + " built by double @ localhost on a x86_64 running Linux"
					: "No such command '" + command + "' (type 'core show help " + command
							+ "' for other possible commands)";
			session.success(action, "Message", "Command output follows", "Output", output);
		});
		onAction("Originate", calls::originate);
		onAction("Hangup", calls::hangup);
		onAction("CoreShowChannels", calls::coreShowChannels);
		onAction("Redirect", calls::redirect);
		onAction("Bridge", calls::bridge);
		onAction("PlayDTMF", calls::playDtmf);
		onAction("MuteAudio", calls::muteAudio);
		onAction("Setvar", calls::setVar);
		onAction("MixMonitor", calls::mixMonitor);
		onAction("StopMixMonitor", calls::stopMixMonitor);
		onAction("MixMonitorMute", calls::mixMonitorMute);
		onAction("BlindTransfer", calls::blindTransfer);
		onAction("Atxfer", calls::atxfer);
		onAction("CancelAtxfer", calls::cancelAtxfer);
	}

	private void login(AmiSession session, AmiMessage action) {
		boolean userMatches = username.equals(action.get("Username"));
		boolean secretMatches;
		String authType = action.get("AuthType");
		if (authType != null && authType.equalsIgnoreCase("MD5")) {
			String challenge = session.issuedChallenge();
			String key = action.get("Key");
			secretMatches = challenge != null && key != null && key.equalsIgnoreCase(md5Hex(challenge + secret));
		}
		else {
			secretMatches = secret.equals(action.get("Secret"));
		}
		if (!userMatches || !secretMatches) {
			session.error(action, "Authentication failed");
			session.close();
			return;
		}
		session.loggedIn(action.get("Username"));
		session.success(action, "Message", "Authentication accepted");
		session.send(AmiMessage.event("FullyBooted")
			.with("Privilege", "system,all")
			.with("Uptime", "120")
			.with("LastReload", "120")
			.with("Status", "Fully Booted"));
	}

	private String amiVersion() {
		int slash = banner.lastIndexOf('/');
		return slash < 0 ? "" : banner.substring(slash + 1);
	}

	static String md5Hex(String text) {
		try {
			MessageDigest md5 = MessageDigest.getInstance("MD5");
			return HexFormat.of().formatHex(md5.digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String timestamp() {
		Instant now = Instant.now();
		return String.format(Locale.ROOT, "%d.%06d", now.getEpochSecond(), now.getNano() / 1000);
	}

	private static String key(String action) {
		return action.strip().toLowerCase(Locale.ROOT);
	}

	private static void joinQuietly(Thread thread) {
		if (thread == null || thread == Thread.currentThread()) {
			return;
		}
		try {
			thread.join(2_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void closeQuietly(AutoCloseable closeable) {
		if (closeable == null) {
			return;
		}
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// already closed
		}
	}

}
