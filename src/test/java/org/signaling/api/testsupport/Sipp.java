package org.signaling.api.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * SIPp 3.6 processes acting as real SIP agents (UDP) against a {@link KamailioProcess}, with the
 * scenarios in {@code src/test/resources/sipp/}.
 *
 * <pre>{@code
 * try (Sipp sipp = new Sipp(kamailio)) {
 *     Sipp.Agent callee = sipp.agentUas("5002");       // registered, answers calls
 *     Sipp.Agent call = sipp.call("5001", "5002");     // registered 5001 calls 5002, holds the call
 *     ...                                             // dlg.list shows it; dlg.end_dlg ends it
 * }                                                   // every SIPp process killed and reaped
 * }</pre>
 *
 * <p>Each process gets its own SIP port ({@code -p}), control port ({@code -cp}, default 8888 would
 * clash), media port ({@code -mp}, far apart), {@code -cid_str}, a bounded lifetime (SIPp's
 * {@code -timeout} ends an idle SIPp but waits for a call in progress, so SIPp also runs under
 * coreutils {@code timeout}: none outlives a crashed JVM by more than {@link #PROCESS_LIFETIME};
 * a JVM shutdown hook kills the rest on a normal exit) and its files in
 * {@link #workDir()}: {@code NAME.out} (screen), {@code NAME.msg} (every SIP message),
 * {@code NAME.err} (unexpected messages). All run with {@code -default_behaviors all,-abortunexp}
 * because Kamailio can deliver a 180 after the 200 over UDP.
 */
public final class Sipp implements AutoCloseable {

	public static final String SIPP_BIN = "sipp";
	public static final String LOCAL_IP = "127.0.0.1";
	/** How long a REGISTER may take until SIPp exits with its outcome. */
	public static final Duration REGISTER_TIMEOUT = Duration.ofSeconds(10);
	/** SIPp's own {@code -timeout}: it quits after this, whatever happens to the test JVM. */
	public static final Duration PROCESS_LIFETIME = Duration.ofMinutes(10);
	public static final Duration BIND_TIMEOUT = Duration.ofSeconds(5);
	public static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

	private static final AtomicInteger SEQUENCE = new AtomicInteger();
	private static final String TIMEOUT_BIN = "/usr/bin/timeout";
	/** The time SIPp writes above each message in its -trace_msg log (local time). */
	private static final DateTimeFormatter MESSAGE_LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
	/** Every live SIPp of this JVM, killed by a shutdown hook if a test did not close it. */
	private static final Set<Agent> LIVE = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Agent::kill), "sipp-reaper"));
	}

	private final KamailioProcess kamailio;
	private final Path workDir;
	private final Path scenarioDir;
	private final List<Agent> agents = new CopyOnWriteArrayList<>();

	/** SIPp agents talking to {@code kamailio}; files go to {@code <kamailio run dir>/sipp}. */
	public Sipp(KamailioProcess kamailio) {
		this.kamailio = kamailio;
		try {
			this.workDir = Files.createDirectories(kamailio.runDir().resolve("sipp"));
			this.scenarioDir = scenarios(workDir);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	public Path workDir() {
		return workDir;
	}

	/** The directory holding register.xml, uas.xml, ... (for running SIPp by hand). */
	public Path scenarioDir() {
		return scenarioDir;
	}

	/**
	 * Registers {@code dn} (Expires 3600) from a new free port and returns that port; the contact
	 * is {@code sip:DN@127.0.0.1:PORT}. Blocks until the 200 (bounded).
	 *
	 * @throws IllegalStateException when the REGISTER did not get a 200
	 */
	public int register(String dn) {
		int port = FreePorts.udp();
		register(dn, port, 3600);
		return port;
	}

	/** REGISTER of {@code dn} from {@code port} with contact {@code sip:DN@127.0.0.1:PORT}. */
	public void register(String dn, int port, int expires) {
		runRegister(dn, LOCAL_IP, port, port, expires);
	}

	/**
	 * Like {@link #register(String)}, and says when the REGISTER left SIPp and when its 200 arrived (SIPp's
	 * message log, microseconds, this machine's clock).
	 */
	public RegisterTimes registerTimed(String dn) {
		int port = FreePorts.udp();
		Agent agent = runRegister(dn, LOCAL_IP, port, port, 3600);
		return new RegisterTimes(port, agent.firstMessageAt(true, "REGISTER "),
				agent.firstMessageAt(false, "SIP/2.0 200"));
	}

	/** When a REGISTER went out and its 200 came back, as SIPp logged them. */
	public record RegisterTimes(int port, Instant requestSent, Instant okReceived) {
	}

	/**
	 * Removes the contact {@code sip:DN@127.0.0.1:PORT} (REGISTER Expires 0, sent from another
	 * port, so it works while an agent still holds {@code port}).
	 */
	public void unregister(String dn, int port) {
		runRegister(dn, LOCAL_IP, FreePorts.udp(), port, 0);
	}

	/**
	 * Registers {@code dn}, then runs uas.xml on the same port: answers every INVITE (180, 200 +
	 * SDP), takes the ACK, waits for BYE and answers 200; many calls in a row.
	 */
	public Agent agentUas(String dn) {
		int port = register(dn);
		return startServer("uas-" + dn, "uas.xml", dn, port);
	}

	/**
	 * Registers {@code dn}, then runs agent-refer.xml: a phone that follows Kamailio's click-to-dial
	 * ({@code dlg.bridge_dlg}): answers the controller's INVITE, accepts its REFER (202, NOTIFY), and calls the
	 * Refer-To URI itself, holding that call until a BYE; many calls in a row.
	 */
	public Agent agentRefer(String dn) {
		int port = register(dn);
		TestCredentials.SipCredentials credentials = TestCredentials.sipCredentials(dn);
		List<String> args = new ArrayList<>(List.of(
				LOCAL_IP + ":" + kamailio.sipPort(),
				"-sf", scenario("agent-refer.xml"),
				"-key", "dn", dn,
				"-au", credentials.username(), "-ap", credentials.password()));
		Agent agent = launch("refer-" + dn + "-" + SEQUENCE.incrementAndGet(), dn, LOCAL_IP, port, args,
				PROCESS_LIFETIME);
		awaitBound(agent, true);
		return agent;
	}

	/** Registers {@code dn}, then runs uas-slow.xml: 180, then 200 after {@code ringFor}, BYE answered. */
	public Agent slowUas(String dn, Duration ringFor) {
		int port = register(dn);
		List<String> args = new ArrayList<>(List.of(
				LOCAL_IP + ":" + kamailio.sipPort(),
				"-sf", scenario("uas-slow.xml"),
				"-d", Long.toString(ringFor.toMillis()),
				"-key", "dn", dn));
		Agent agent = launch("slow-" + dn + "-" + SEQUENCE.incrementAndGet(), dn, LOCAL_IP, port, args,
				PROCESS_LIFETIME);
		awaitBound(agent, true);
		return agent;
	}

	/**
	 * Registers {@code dn}, then runs uas-bye-refused.xml: answers like {@link #agentUas}, but the first BYE of each
	 * call gets 500 and only the next one 200.
	 */
	public Agent byeRefusingUas(String dn) {
		int port = register(dn);
		return startServer("bye-refused-" + dn, "uas-bye-refused.xml", dn, port);
	}

	/** Registers {@code dn}, then runs uas-ringing-deaf.xml: 180, and no answer to the CANCEL (nor a 487). */
	public Agent cancelIgnoringUas(String dn) {
		int port = register(dn);
		return startServer("ring-deaf-" + dn, "uas-ringing-deaf.xml", dn, port);
	}

	/** Registers {@code dn}, then runs uas-ringing.xml: 180 and never answers (CANCEL gets 200 + 487). */
	public Agent ringingUas(String dn) {
		int port = register(dn);
		return startServer("ring-" + dn, "uas-ringing.xml", dn, port);
	}

	/**
	 * Agent {@code fromDn} (registered first, on 127.0.0.1) calls {@code toDn} from the same port (uac.xml): INVITE,
	 * Kamailio's 407 answered with the agent's SIP credentials, 200, ACK, and holds the call until a BYE arrives
	 * (Kamailio's dlg.end_dlg or the callee). The process ends by itself ~2 s after the BYE or after a final error
	 * (404, 487, ...).
	 */
	public Agent call(String fromDn, String toDn) {
		return agentCall(fromDn, toDn, null);
	}

	/**
	 * A trusted peer's call, as Asterisk places the calls the API makes: from {@link KamailioProcess#TRUSTED_PEER_IP}
	 * (not challenged) as {@code fromDn} (registered first, from that address, with its credentials) to
	 * {@code toDn}, with {@code X-Call-Id: apiCallId} in the INVITE when it is not null (trusted-uac.xml).
	 */
	public Agent call(String fromDn, String toDn, String apiCallId) {
		return dial(fromDn, toDn, apiCallId, KamailioProcess.TRUSTED_PEER_IP, "trusted-uac.xml");
	}

	/**
	 * Like {@link #call(String, String)}, with {@code X-Call-Id: apiCallId} in the agent's INVITE: a header Kamailio
	 * must not believe from an agent.
	 */
	public Agent agentCall(String fromDn, String toDn, String apiCallId) {
		return dial(fromDn, toDn, apiCallId, LOCAL_IP, "uac.xml");
	}

	/**
	 * A call with {@code X-Genesys-CallUUID: genesysCallUuid} in the INVITE, as the Genesys SIP Server sends: from a
	 * trusted peer (trusted-uac.xml) or from an agent (uac.xml), which Kamailio must not believe.
	 */
	public Agent genesysCall(String fromDn, String toDn, String genesysCallUuid, boolean fromTrustedPeer) {
		return fromTrustedPeer
				? dial(fromDn, toDn, null, genesysCallUuid, KamailioProcess.TRUSTED_PEER_IP, "trusted-uac.xml")
				: dial(fromDn, toDn, null, genesysCallUuid, LOCAL_IP, "uac.xml");
	}

	private Agent dial(String fromDn, String toDn, String apiCallId, String localIp, String scenario) {
		return dial(fromDn, toDn, apiCallId, null, localIp, scenario);
	}

	private Agent dial(String fromDn, String toDn, String apiCallId, String genesysCallUuid, String localIp,
			String scenario) {
		for (String value : new String[] { apiCallId, genesysCallUuid }) {
			if (value != null && !value.matches("[A-Za-z0-9._@-]{1,128}")) {
				throw new IllegalArgumentException("header value must be a plain token: " + value);
			}
		}
		int port = FreePorts.udp();
		runRegister(fromDn, localIp, port, port, 3600);
		String name = "call-" + fromDn + "-" + toDn + "-" + SEQUENCE.incrementAndGet();
		TestCredentials.SipCredentials credentials = TestCredentials.sipCredentials(fromDn);
		List<String> args = new ArrayList<>(List.of(
				LOCAL_IP + ":" + kamailio.sipPort(),
				"-sf", scenario(scenario),
				"-m", "1",
				"-s", toDn,
				"-key", "dn", fromDn,
				"-au", credentials.username(), "-ap", credentials.password()));
		if (apiCallId != null) {
			args.addAll(List.of("-set", "api_call_id", apiCallId));
		}
		if (genesysCallUuid != null) {
			args.addAll(List.of("-set", "genesys_call_uuid", genesysCallUuid));
		}
		Agent agent = launch(name, fromDn, localIp, port, args, PROCESS_LIFETIME);
		// a call to an unknown DN may legitimately end at once (404), so no "still alive" check
		awaitBound(agent, false);
		return agent;
	}

	/**
	 * Like {@link #call(String, String)}, but the caller hangs up (uac-hangup.xml): once answered, it holds the call
	 * for {@code hold}, then sends the BYE itself and exits on its 200 (or on a final error, without a BYE).
	 */
	public Agent callAndHangUp(String fromDn, String toDn, Duration hold) {
		int port = FreePorts.udp();
		runRegister(fromDn, LOCAL_IP, port, port, 3600);
		String name = "hangup-" + fromDn + "-" + toDn + "-" + SEQUENCE.incrementAndGet();
		TestCredentials.SipCredentials credentials = TestCredentials.sipCredentials(fromDn);
		List<String> args = new ArrayList<>(List.of(
				LOCAL_IP + ":" + kamailio.sipPort(),
				"-sf", scenario("uac-hangup.xml"),
				"-m", "1",
				"-s", toDn,
				"-d", Long.toString(hold.toMillis()),
				"-key", "dn", fromDn,
				"-au", credentials.username(), "-ap", credentials.password()));
		Agent agent = launch(name, fromDn, LOCAL_IP, port, args, PROCESS_LIFETIME);
		// a call to an unknown DN may legitimately end at once (404), so no "still alive" check
		awaitBound(agent, false);
		return agent;
	}

	/**
	 * A fake Genesys SIP Server on {@code 127.0.0.1:port} (UDP) answering OPTIONS with 200 and
	 * INVITE with 486. {@link Agent#stop()} kills it, so Kamailio's probes time out.
	 */
	public Agent genesysResponder(int port) {
		String name = "genesys-" + port + "-" + SEQUENCE.incrementAndGet();
		List<String> args = new ArrayList<>(List.of("-sf", scenario("options-responder.xml")));
		Agent agent = launch(name, null, LOCAL_IP, port, args, PROCESS_LIFETIME);
		awaitBound(agent, true);
		return agent;
	}

	/**
	 * Runs {@code scenarioFile} (from the scenario directory) against Kamailio from a new free port, with these SIPp
	 * arguments (e.g. {@code -m 1 -s 5002 -inf values.csv}; a {@code -cid_str} among them replaces the default one),
	 * for scenarios a test brings along (hostile values, say). Does not wait for it to end.
	 */
	public Agent run(String name, String scenarioFile, List<String> scenarioArgs) {
		List<String> args = new ArrayList<>(List.of(LOCAL_IP + ":" + kamailio.sipPort(), "-sf",
				scenario(scenarioFile)));
		args.addAll(scenarioArgs);
		Agent agent = launch(name + "-" + SEQUENCE.incrementAndGet(), null, LOCAL_IP, FreePorts.udp(), args,
				PROCESS_LIFETIME);
		awaitBound(agent, false);
		return agent;
	}

	/**
	 * Like {@link #run(String, String, List)}, from the trusted peers' address
	 * ({@link KamailioProcess#TRUSTED_PEER_IP}): what Asterisk, the Genesys SIP Server or an SBC may send, headers
	 * Kamailio believes only from them included.
	 */
	public Agent runAsTrustedPeer(String name, String scenarioFile, List<String> scenarioArgs) {
		List<String> args = new ArrayList<>(List.of(LOCAL_IP + ":" + kamailio.sipPort(), "-sf",
				scenario(scenarioFile)));
		args.addAll(scenarioArgs);
		Agent agent = launch(name + "-" + SEQUENCE.incrementAndGet(), null, KamailioProcess.TRUSTED_PEER_IP,
				FreePorts.udp(), args, PROCESS_LIFETIME);
		awaitBound(agent, false);
		return agent;
	}

	/** Stops every SIPp process started here (SIGTERM, bounded wait, SIGKILL) and reaps it. */
	@Override
	public void close() {
		RuntimeException failure = null;
		for (Agent agent : agents) {
			try {
				agent.stop();
			} catch (RuntimeException e) {
				failure = failure == null ? e : failure;
			}
		}
		agents.clear();
		if (failure != null) {
			throw failure;
		}
	}

	/** A REGISTER with the agent's SIP credentials (Kamailio challenges every REGISTER). */
	private Agent runRegister(String dn, String localIp, int sourcePort, int contactPort, int expires) {
		String name = (expires == 0 ? "unreg-" : "reg-") + dn + "-" + SEQUENCE.incrementAndGet();
		TestCredentials.SipCredentials credentials = TestCredentials.sipCredentials(dn);
		List<String> args = new ArrayList<>(List.of(
				LOCAL_IP + ":" + kamailio.sipPort(),
				"-sf", scenario("register.xml"),
				"-m", "1",
				"-key", "dn", dn,
				"-au", credentials.username(), "-ap", credentials.password(),
				"-set", "expires", Integer.toString(expires),
				"-set", "contact_port", Integer.toString(contactPort)));
		Agent agent = launch(name, dn, localIp, sourcePort, args, REGISTER_TIMEOUT);
		int exit = agent.awaitExit(REGISTER_TIMEOUT.plusSeconds(5));
		agent.stop();
		agents.remove(agent);
		if (exit != 0) {
			throw new IllegalStateException("REGISTER of " + dn + " (contact port " + contactPort + ", expires "
					+ expires + ") failed, SIPp exit " + exit + "; " + agent.describeFailure()
					+ "\nKamailio log tail:\n" + kamailio.logTail(15));
		}
		return agent;
	}

	private Agent startServer(String name, String scenario, String dn, int port) {
		List<String> args = new ArrayList<>(List.of(
				LOCAL_IP + ":" + kamailio.sipPort(),
				"-sf", scenario(scenario),
				"-key", "dn", dn));
		Agent agent = launch(name + "-" + SEQUENCE.incrementAndGet(), dn, LOCAL_IP, port, args, PROCESS_LIFETIME);
		awaitBound(agent, true);
		return agent;
	}

	private Agent launch(String name, String dn, String localIp, int port, List<String> scenarioArgs,
			Duration lifetime) {
		int controlPort = FreePorts.udp();
		int mediaPort = FreePorts.block(4);
		Path out = workDir.resolve(name + ".out");
		Path msg = workDir.resolve(name + ".msg");
		Path err = workDir.resolve(name + ".err");
		List<String> command = new ArrayList<>();
		if (Files.isExecutable(Path.of(TIMEOUT_BIN))) {
			// hard bound even for a call in progress; SIGTERM from destroy() is passed on to SIPp
			command.addAll(List.of(TIMEOUT_BIN, "-k", "5", (lifetime.toSeconds() + 10) + "s"));
		}
		command.add(SIPP_BIN);
		command.addAll(scenarioArgs);
		command.addAll(List.of(
				"-i", localIp,
				"-bind_local",
				"-p", Integer.toString(port),
				"-cp", Integer.toString(controlPort),
				"-mp", Integer.toString(mediaPort),
				"-default_behaviors", "all,-abortunexp",
				// answers Kamailio's reachability probes (usrloc OPTIONS) with 200, as a phone does
				"-aa",
				"-timeout", lifetime.toSeconds() + "s",
				"-nostdin",
				"-trace_msg", "-message_file", msg.toString(),
				"-trace_err", "-error_file", err.toString()));
		if (!scenarioArgs.contains("-cid_str")) {
			command.addAll(List.of("-cid_str", name + "-%u-%p@%s"));
		}
		Process process;
		try {
			Files.writeString(out, String.join(" ", command) + "\n", StandardCharsets.UTF_8);
			process = new ProcessBuilder(command)
					.directory(workDir.toFile())
					.redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
					.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
					.start();
		} catch (IOException e) {
			throw new IllegalStateException("cannot run '" + SIPP_BIN + "' (apt-get install -y sip-tester): "
					+ e.getMessage(), e);
		}
		Agent agent = new Agent(name, dn, port, process, out, msg, err);
		agents.add(agent);
		LIVE.add(agent);
		process.onExit().thenRun(() -> LIVE.remove(agent));
		return agent;
	}

	/** Waits until the agent's SIP port is bound (so a request sent to it right away reaches it). */
	private void awaitBound(Agent agent, boolean mustStayAlive) {
		try {
			await("SIPp " + agent.name() + " bound to udp " + agent.port())
					.atMost(BIND_TIMEOUT)
					.pollInterval(Duration.ofMillis(50))
					.until(() -> !agent.isAlive() || FreePorts.isUdpBound(agent.port()));
		} catch (ConditionTimeoutException e) {
			agent.stop();
			throw new IllegalStateException("SIPp " + agent.name() + " did not bind udp " + agent.port()
					+ "; " + agent.describeFailure(), e);
		}
		if (mustStayAlive && !agent.isAlive()) {
			int exit = agent.awaitExit(Duration.ofSeconds(2));
			throw new IllegalStateException("SIPp " + agent.name() + " exited at start (exit " + exit + "); "
					+ agent.describeFailure());
		}
	}

	private String scenario(String file) {
		return scenarioDir.resolve(file).toString();
	}

	/** The scenario directory on the test classpath; copied out when it is not a plain directory. */
	private static Path scenarios(Path workDir) throws IOException {
		URL url = Sipp.class.getResource("/sipp/uas.xml");
		if (url == null) {
			throw new IllegalStateException("SIPp scenarios not on the test classpath (/sipp/*.xml)");
		}
		if ("file".equals(url.getProtocol())) {
			try {
				return Path.of(url.toURI()).getParent();
			} catch (URISyntaxException e) {
				throw new IllegalStateException(e);
			}
		}
		Path dir = Files.createDirectories(workDir.resolve("scenarios"));
		for (String file : List.of("register.xml", "uas.xml", "uas-ringing.xml", "uac.xml", "trusted-uac.xml",
				"forged-auto-answer.xml", "options-responder.xml", "agent-refer.xml", "uas-slow.xml", "hostile-uac.xml",
				"hostile-register.xml", "uac-hangup.xml")) {
			try (InputStream in = Sipp.class.getResourceAsStream("/sipp/" + file)) {
				if (in == null) {
					throw new IllegalStateException("missing /sipp/" + file + " on the test classpath");
				}
				Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
			}
		}
		return dir;
	}

	/** One SIPp process. {@link #close()} kills and reaps it. */
	public static final class Agent implements AutoCloseable {

		private final String name;
		private final String dn;
		private final int port;
		private final Process process;
		private final Path outputLog;
		private final Path messageLog;
		private final Path errorLog;

		private Agent(String name, String dn, int port, Process process, Path outputLog, Path messageLog,
				Path errorLog) {
			this.name = name;
			this.dn = dn;
			this.port = port;
			this.process = process;
			this.outputLog = outputLog;
			this.messageLog = messageLog;
			this.errorLog = errorLog;
		}

		public String name() {
			return name;
		}

		/** The agent's DN, or null for the Genesys responder. */
		public String dn() {
			return dn;
		}

		/** Its UDP SIP port on 127.0.0.1 (the registered contact's port). */
		public int port() {
			return port;
		}

		/** The pid of the launched process (the coreutils timeout wrapper when present). */
		public long pid() {
			return process.pid();
		}

		public boolean isAlive() {
			return process.isAlive();
		}

		/** Waits (bounded) for the process to end and returns its exit code, or -1 if still running. */
		public int awaitExit(Duration timeout) {
			try {
				if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
					return process.exitValue();
				}
				return -1;
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return -1;
			}
		}

		/**
		 * How many SIP messages this agent has received whose start line begins with
		 * {@code startLinePrefix}, e.g. {@code "BYE "} or {@code "SIP/2.0 200"}, from its message log. A
		 * retransmission (the same start line, Call-ID and CSeq) is the same message: counted once, so that a loaded
		 * machine's retransmitted BYE does not read as a second hang-up.
		 */
		public int countReceived(String startLinePrefix) {
			return receivedMessages(startLinePrefix).size();
		}

		/**
		 * How many distinct messages (by CSeq; retransmissions counted once) whose start line begins with
		 * {@code startLinePrefix} this agent received in each call, by Call-ID.
		 */
		public Map<String, Integer> countReceivedPerCall(String startLinePrefix) {
			Map<String, Integer> perCall = new HashMap<>();
			for (Received message : receivedMessages(startLinePrefix)) {
				perCall.merge(message.callId(), 1, Integer::sum);
			}
			return perCall;
		}

		/** The distinct received messages whose start line begins with the prefix, from the message log. */
		private Set<Received> receivedMessages(String startLinePrefix) {
			List<String> lines;
			try {
				if (!Files.exists(messageLog)) {
					return Set.of();
				}
				lines = Files.readAllLines(messageLog, StandardCharsets.ISO_8859_1);
			} catch (IOException e) {
				throw new UncheckedIOException(e);
			}
			Set<Received> distinct = new HashSet<>();
			String matched = null;
			String callId = "";
			String cseq = "";
			boolean received = false;
			for (String line : lines) {
				if (line.contains("message received") || line.contains("message sent")) {
					if (matched != null) {
						distinct.add(new Received(matched, callId, cseq));
					}
					received = line.contains("message received");
					matched = null;
					callId = "";
					cseq = "";
				} else if (received && !line.isBlank()) {
					matched = line.startsWith(startLinePrefix) ? line : null;
					received = false;
				} else if (matched != null && line.regionMatches(true, 0, "Call-ID:", 0, 8)) {
					callId = line.substring(8).trim();
				} else if (matched != null && line.regionMatches(true, 0, "CSeq:", 0, 5)) {
					cseq = line.substring(5).trim();
				}
			}
			if (matched != null) {
				distinct.add(new Received(matched, callId, cseq));
			}
			return distinct;
		}

		/** One received message: its start line, Call-ID and CSeq. */
		private record Received(String startLine, String callId, String cseq) {
		}

		/**
		 * When SIPp logged the first message it sent ({@code sent}) or received whose start line begins with
		 * {@code startLinePrefix}.
		 *
		 * @throws IllegalStateException when there is none
		 */
		public Instant firstMessageAt(boolean sent, String startLinePrefix) {
			List<String> lines;
			try {
				lines = Files.exists(messageLog) ? Files.readAllLines(messageLog, StandardCharsets.ISO_8859_1)
						: List.of();
			} catch (IOException e) {
				throw new UncheckedIOException(e);
			}
			String direction = sent ? "message sent" : "message received";
			String stamp = null;
			boolean matching = false;
			for (String line : lines) {
				if (line.startsWith("----------") && line.length() > 26) {
					stamp = line.substring(line.length() - 26);
					matching = false;
				} else if (line.contains("message sent") || line.contains("message received")) {
					matching = line.contains(direction);
				} else if (matching && !line.isBlank()) {
					if (line.startsWith(startLinePrefix) && stamp != null) {
						return LocalDateTime.parse(stamp, MESSAGE_LOG_TIME).atZone(ZoneId.systemDefault()).toInstant();
					}
					matching = false;
				}
			}
			throw new IllegalStateException("no " + (sent ? "sent" : "received") + " '" + startLinePrefix
					+ "' in " + messageLog);
		}

		/**
		 * When SIPp logged the first message it received whose start line begins with {@code startLinePrefix} and
		 * whose CSeq is for {@code cseqMethod}: tells the 200 of an INVITE from the 200 of a BYE in one call.
		 *
		 * @throws IllegalStateException when there is none
		 */
		public Instant receivedAt(String startLinePrefix, String cseqMethod) {
			List<String> lines;
			try {
				lines = Files.exists(messageLog) ? Files.readAllLines(messageLog, StandardCharsets.ISO_8859_1)
						: List.of();
			} catch (IOException e) {
				throw new UncheckedIOException(e);
			}
			String stamp = null;
			boolean received = false;
			boolean startLineMatched = false;
			for (String line : lines) {
				if (line.startsWith("----------") && line.length() > 26) {
					stamp = line.substring(line.length() - 26);
					received = false;
					startLineMatched = false;
				} else if (line.contains("message sent") || line.contains("message received")) {
					received = line.contains("message received");
				} else if (received && !startLineMatched && !line.isBlank()) {
					startLineMatched = line.startsWith(startLinePrefix);
					received = startLineMatched;
				} else if (startLineMatched && line.regionMatches(true, 0, "CSeq:", 0, 5)) {
					if (line.trim().endsWith(" " + cseqMethod) && stamp != null) {
						return LocalDateTime.parse(stamp, MESSAGE_LOG_TIME).atZone(ZoneId.systemDefault()).toInstant();
					}
					received = false;
					startLineMatched = false;
				}
			}
			throw new IllegalStateException("no received '" + startLinePrefix + "' for CSeq " + cseqMethod + " in "
					+ messageLog);
		}

		/** Every SIP message sent and received (SIPp -trace_msg). */
		public Path messageLog() {
			return messageLog;
		}

		/** Unexpected messages (SIPp -trace_err). */
		public Path errorLog() {
			return errorLog;
		}

		/** SIPp's command line, screen and stderr. */
		public Path outputLog() {
			return outputLog;
		}

		/**
		 * SIGTERM, bounded wait, then SIGKILL (also to SIPp under the timeout wrapper); always
		 * reaps the process. Idempotent.
		 */
		public void stop() {
			List<ProcessHandle> descendants = process.descendants().toList();
			if (process.isAlive()) {
				process.destroy();
				if (awaitExit(STOP_TIMEOUT) == -1 && process.isAlive()) {
					descendants.forEach(ProcessHandle::destroyForcibly);
					process.destroyForcibly();
					awaitExit(STOP_TIMEOUT);
				}
			}
			for (ProcessHandle child : descendants) {
				if (child.isAlive()) {
					KamailioProcess.awaitOrKill(child, STOP_TIMEOUT);
				}
			}
		}

		/** Immediate SIGKILL of the process and its children (shutdown hook). */
		void kill() {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
		}

		@Override
		public void close() {
			stop();
		}

		String describeFailure() {
			return "files " + outputLog + ", " + errorLog + ", " + messageLog + "\n--- output tail:\n"
					+ tail(outputLog, 12) + "\n--- errors tail:\n" + tail(errorLog, 12);
		}

		private static String tail(Path file, int lines) {
			try {
				if (!Files.exists(file)) {
					return "(none)";
				}
				List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
				return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
			} catch (IOException e) {
				return "(cannot read " + file + ": " + e + ")";
			}
		}

		@Override
		public String toString() {
			return "SIPp[" + name + ", udp " + port + ", pid " + process.pid() + "]";
		}
	}
}
