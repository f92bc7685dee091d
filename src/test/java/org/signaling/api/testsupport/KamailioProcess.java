package org.signaling.api.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * The real Kamailio binary running {@code config/kamailio/kamailio.cfg} for integration tests:
 * loopback only, free SIP (udp+tcp), WebSocket, JSON-RPC and evapi ports, its own run directory under
 * {@code target/it-kamailio/}, and a dispatcher list pointing at the given Genesys host:port.
 *
 * <pre>{@code
 * try (KamailioProcess kamailio = KamailioProcess.start("127.0.0.1:" + genesysPort)) {
 *     kamailio.rpc().result("ul.dump");
 *     kamailio.stop();   // Kamailio down
 *     kamailio.start();  // back, same ports
 * }
 * }</pre>
 *
 * <p>For tests the OPTIONS probe of the Genesys SIP Server runs every second with a 900 ms
 * transaction timeout ({@link #DS_PING_INTERVAL_S}, {@link #FR_TIMER_MS}): dispatcher.list shows
 * {@code AP} within about a second of the responder answering and {@code IP} within about two
 * seconds of it stopping. fr_timer below the ping interval means no timeout of a probe sent
 * earlier can arrive after a later probe succeeded (no down/up flap).
 */
public final class KamailioProcess implements AutoCloseable {

	public static final String LISTEN_IP = "127.0.0.1";
	/**
	 * The trusted peers' address (TRUSTED_PEERS_FILE): the tests' stand-in for Asterisk and the Genesys SIP Server.
	 * Agents (SIPp, browsers) send from {@link #LISTEN_IP} and are challenged.
	 */
	public static final String TRUSTED_PEER_IP = "127.0.0.2";
	/**
	 * Requests per source address per 2 s before pike blocks it: the agents of many tests all send from 127.0.0.1,
	 * in bursts no site's single address would (the product's default is 64; a test may pass its own PIKE_DENSITY).
	 */
	public static final int PIKE_DENSITY = 100_000;
	public static final String CONFIG = "config/kamailio/kamailio.cfg";
	public static final int DS_PING_INTERVAL_S = 1;
	public static final int FR_TIMER_MS = 900;
	public static final Duration START_TIMEOUT = Duration.ofSeconds(15);
	public static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private static final String KAMAILIO_BIN = "kamailio";
	/** Every running Kamailio of this JVM, stopped by a shutdown hook if a test did not close it. */
	private static final Set<KamailioProcess> LIVE = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(KamailioProcess::stopQuietly),
				"kamailio-reaper"));
	}

	private final Path repoRoot;
	private final Path runDir;
	private final Path logFile;
	private final Path dispatcherList;
	private final Path trustedPeers;
	private final String genesys;
	private final int sipPort;
	private final int wsPort;
	private final int rpcPort;
	private final int evapiPort;
	private final List<String> extraDefines;
	private final KamailioRpc rpc;
	private Process process;
	private List<ProcessHandle> children = List.of();

	private KamailioProcess(Path repoRoot, String genesysHostPort, List<String> extraDefines) throws IOException {
		if (!genesysHostPort.matches("[A-Za-z0-9._-]+:\\d+")) {
			throw new IllegalArgumentException("Genesys target must be host:port: " + genesysHostPort);
		}
		for (String define : extraDefines) {
			if (!define.matches("[A-Z][A-Z0-9_]*(=.*)?")) {
				throw new IllegalArgumentException("define must be NAME or NAME=value: " + define);
			}
		}
		this.extraDefines = List.copyOf(extraDefines);
		this.repoRoot = repoRoot.toAbsolutePath().normalize();
		Path base = this.repoRoot.resolve("target").resolve("it-kamailio");
		Files.createDirectories(base);
		this.runDir = Files.createTempDirectory(base, "run-");
		this.logFile = runDir.resolve("kamailio.log");
		this.dispatcherList = runDir.resolve("dispatcher.list");
		this.trustedPeers = runDir.resolve("trusted-peers.list");
		this.genesys = genesysHostPort;
		this.sipPort = FreePorts.tcpAndUdp();
		this.wsPort = FreePorts.tcp();
		this.rpcPort = FreePorts.tcp();
		this.evapiPort = FreePorts.tcp();
		this.rpc = new KamailioRpc(rpcUrl());
		Files.writeString(dispatcherList,
				"# setid destination flags priority attrs\n"
						+ "1 sip:" + genesys + " 0 0 duid=genesys1;desc=Genesys\n",
				StandardCharsets.UTF_8);
		Files.writeString(trustedPeers, "# group address prefix port\n1 " + TRUSTED_PEER_IP + " 32 0\n",
				StandardCharsets.UTF_8);
	}

	/** Starts Kamailio from the repository at {@link #repoRoot()}, probing Genesys at host:port. */
	public static KamailioProcess start(String genesysHostPort, String... extraDefines) {
		return start(repoRoot(), genesysHostPort, extraDefines);
	}

	/**
	 * Starts Kamailio with {@code repoRoot}'s config, probing the Genesys SIP Server at host:port.
	 *
	 * @param extraDefines more {@code -A} defines, {@code NAME} or {@code NAME=value} (string values
	 *     with their quotes, e.g. {@code LOG_LEVEL=3}, {@code WITHOUT_BYE_RACE_GUARD}); they come
	 *     after the harness's own, which they cannot redefine (Kamailio rejects a second -A of a
	 *     name). Without any, Kamailio runs the product config as deployed (BYE race guard on).
	 */
	public static KamailioProcess start(Path repoRoot, String genesysHostPort, String... extraDefines) {
		KamailioProcess kamailio;
		try {
			kamailio = new KamailioProcess(repoRoot, genesysHostPort, List.of(extraDefines));
		} catch (IOException e) {
			throw new UncheckedIOException("cannot prepare the Kamailio run directory", e);
		}
		kamailio.start();
		return kamailio;
	}

	/**
	 * The repository root: the {@code project.basedir} system property (set by failsafe), else the
	 * current directory.
	 */
	public static Path repoRoot() {
		String basedir = System.getProperty("project.basedir");
		Path root = basedir != null && !basedir.isBlank() ? Path.of(basedir) : Path.of("");
		return root.toAbsolutePath().normalize();
	}

	/**
	 * (Re)starts Kamailio on the same ports and waits until its JSON-RPC answers. No-op when
	 * running.
	 *
	 * @throws IllegalStateException with the log tail when it exits or does not answer in time
	 */
	public synchronized void start() {
		if (isRunning()) {
			return;
		}
		Path config = repoRoot.resolve(CONFIG);
		if (!Files.isRegularFile(config)) {
			throw new IllegalStateException("Kamailio config not found: " + config
					+ " (repository root from -Dproject.basedir or the current directory)");
		}
		List<String> command = new ArrayList<>(List.of(KAMAILIO_BIN,
				"-f", config.toString(),
				"-DD", "-E", "-m", "64", "-M", "8",
				"-Y", runDir.toString(),
				"-P", runDir.resolve("kamailio.pid").toString(),
				"-w", runDir.toString(),
				"-A", "LISTEN_IP=" + LISTEN_IP,
				"-A", "SIP_PORT=" + sipPort,
				"-A", "WS_PORT=" + wsPort,
				"-A", "RPC_PORT=" + rpcPort,
				"-A", "EVAPI_PORT=" + evapiPort,
				"-A", "DISPATCHER_LIST=\"" + dispatcherList + "\"",
				"-A", "DS_PING_INTERVAL=" + DS_PING_INTERVAL_S,
				"-A", "FR_TIMER=" + FR_TIMER_MS,
				"-A", "DS_PING_FROM=\"sip:kamailio@" + LISTEN_IP + "\"",
				"-A", "BRIDGE_CONTROLLER=\"sip:controller@" + LISTEN_IP + "\"",
				"-A", "BRIDGE_CONTACT=\"sip:controller@" + LISTEN_IP + ":" + sipPort + "\"",
				"-A", "TRUSTED_PEERS_FILE=\"" + trustedPeers + "\""));
		if (extraDefines.stream().noneMatch((define) -> define.startsWith("PIKE_DENSITY="))) {
			command.addAll(List.of("-A", "PIKE_DENSITY=" + PIKE_DENSITY));
		}
		for (String define : extraDefines) {
			command.add("-A");
			command.add(define);
		}
		try {
			Files.writeString(logFile, "=== start " + Instant.now() + ": " + String.join(" ", command) + "\n",
					StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			ProcessBuilder builder = new ProcessBuilder(command);
			// the secret comes from the environment, as in production (never a define: it would show in ps)
			builder.environment().put("SIP_AUTH_SECRET", TestCredentials.SIP_AUTH_SECRET);
			process = builder
					.directory(runDir.toFile())
					.redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
					.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
					.start();
		} catch (IOException e) {
			throw new IllegalStateException("cannot run '" + KAMAILIO_BIN + "' (is Kamailio installed? "
					+ "apt-get install -y kamailio kamailio-websocket-modules kamailio-extra-modules "
					+ "kamailio-autheph-modules): "
					+ e.getMessage(), e);
		}
		Process started = process;
		try {
			await("Kamailio JSON-RPC at " + rpcUrl())
					.atMost(START_TIMEOUT)
					.pollDelay(Duration.ofMillis(50))
					.pollInterval(Duration.ofMillis(100))
					.until(() -> !started.isAlive() || rpc.ping());
		} catch (ConditionTimeoutException e) {
			stopQuietly();
			throw new IllegalStateException("Kamailio did not answer JSON-RPC at " + rpcUrl() + " within "
					+ START_TIMEOUT + "; log " + logFile + ":\n" + logTail(40), e);
		}
		if (!started.isAlive()) {
			int exit = waitExit(started);
			String log = logTail(40);
			String hint = log.contains("could not find module")
					? "\n(a module the config loads is missing; evapi is in kamailio-extra-modules, auth_ephemeral in "
							+ "kamailio-autheph-modules)" : "";
			throw new IllegalStateException("Kamailio exited during start-up (exit " + exit + "); log "
					+ logFile + ":\n" + log + hint);
		}
		children = started.descendants().toList();
		LIVE.add(this);
	}

	/**
	 * Stops Kamailio: SIGTERM to the main process (it stops its children), waits for all of them
	 * (bounded), then kills what is left. The ports stay reserved for {@link #start()}.
	 */
	public synchronized void stop() {
		if (process == null) {
			return;
		}
		Process main = process;
		List<ProcessHandle> known = new ArrayList<>(children);
		known.addAll(main.descendants().toList());
		main.destroy();
		boolean exited = waitFor(main, STOP_TIMEOUT);
		if (!exited) {
			known.addAll(main.descendants().toList());
			main.destroyForcibly();
			waitFor(main, STOP_TIMEOUT);
		}
		for (ProcessHandle child : known) {
			if (child.isAlive()) {
				awaitOrKill(child, exited ? Duration.ofSeconds(2) : Duration.ZERO);
			}
		}
		process = null;
		children = List.of();
		LIVE.remove(this);
	}

	public synchronized boolean isRunning() {
		return process != null && process.isAlive();
	}

	/** Stops Kamailio; the run directory (log, dispatcher list) is kept under target/ for inspection. */
	@Override
	public void close() {
		stop();
	}

	public String listenIp() {
		return LISTEN_IP;
	}

	public int sipPort() {
		return sipPort;
	}

	public int wsPort() {
		return wsPort;
	}

	public int rpcPort() {
		return rpcPort;
	}

	/** The evapi port: push events as netstrings over TCP to any client that connects. */
	public int evapiPort() {
		return evapiPort;
	}

	/** {@code 127.0.0.1:PORT} of evapi, as {@code signaling.kamailio.evapi-address} takes it. */
	public String evapiAddress() {
		return LISTEN_IP + ":" + evapiPort;
	}

	/** {@code http://127.0.0.1:PORT/RPC} */
	public String rpcUrl() {
		return "http://" + LISTEN_IP + ":" + rpcPort + "/RPC";
	}

	/** {@code ws://127.0.0.1:PORT} (SIP over WebSocket, subprotocol "sip") */
	public String wsUrl() {
		return "ws://" + LISTEN_IP + ":" + wsPort;
	}

	/** The Genesys SIP Server host:port in the dispatcher list. */
	public String genesys() {
		return genesys;
	}

	public KamailioRpc rpc() {
		return rpc;
	}

	public Path runDir() {
		return runDir;
	}

	public Path logFile() {
		return logFile;
	}

	public synchronized long pid() {
		if (process == null) {
			throw new IllegalStateException("Kamailio is not running");
		}
		return process.pid();
	}

	/** Last {@code lines} lines of Kamailio's log (stderr). */
	public String logTail(int lines) {
		try {
			List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		} catch (IOException | RuntimeException e) {
			return "(cannot read " + logFile + ": " + e + ")";
		}
	}

	@Override
	public String toString() {
		return "Kamailio[sip=" + LISTEN_IP + ":" + sipPort + ", ws=" + wsPort + ", rpc=" + rpcUrl()
				+ ", evapi=" + evapiPort + ", genesys=" + genesys + ", run=" + runDir + "]";
	}

	private void stopQuietly() {
		try {
			stop();
		} catch (RuntimeException e) {
			// reported by the caller
		}
	}

	/** Waits (bounded) for a process to end, then SIGKILLs it if it is still there. */
	static void awaitOrKill(ProcessHandle handle, Duration timeout) {
		try {
			handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			handle.destroyForcibly();
		} catch (ExecutionException | TimeoutException e) {
			handle.destroyForcibly();
		}
	}

	private static boolean waitFor(Process p, Duration timeout) {
		try {
			return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static int waitExit(Process p) {
		return waitFor(p, Duration.ofSeconds(2)) ? p.exitValue() : -1;
	}
}
