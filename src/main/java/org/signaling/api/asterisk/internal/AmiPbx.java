package org.signaling.api.asterisk.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.asteriskjava.manager.EventTimeoutException;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerEventListener;
import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.TimeoutException;
import org.asteriskjava.manager.action.CoreShowChannelsAction;
import org.asteriskjava.manager.action.HangupAction;
import org.asteriskjava.manager.action.ManagerAction;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.event.BridgeEnterEvent;
import org.asteriskjava.manager.event.ConnectEvent;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.CoreShowChannelsCompleteEvent;
import org.asteriskjava.manager.event.DialStateEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.NewChannelEvent;
import org.asteriskjava.manager.event.NewStateEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.event.ResponseEvent;
import org.asteriskjava.manager.response.ManagerError;
import org.asteriskjava.manager.response.ManagerResponse;
import org.jspecify.annotations.Nullable;
import org.signaling.api.asterisk.AsteriskProperties;
import org.signaling.api.call.CallIds;
import org.signaling.api.call.CallOriginator;
import org.signaling.api.call.OriginateCommand;
import org.signaling.api.call.Pbx;
import org.signaling.api.call.PbxChannel;
import org.signaling.api.call.PbxEvent;
import org.signaling.api.call.PbxRejectedException;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.ChildSpans;
import org.signaling.api.shared.Grammar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The {@link Pbx} port (and the Asterisk {@link CallOriginator}) over the service's AMI sessions, one per Asterisk
 * node ({@link AmiConnections}). A new call goes to the next connected node in turn; a hang-up goes to the node that
 * placed the call (to every node when that is not known).
 * <p>
 * Actions: an asynchronous {@code Originate} whose {@code ChannelId} is the call id, {@code Hangup} by Uniqueid, and
 * {@code CoreShowChannels}. asterisk-java escapes nothing it writes (asterisk-ami.md §5.2), so every value is
 * checked again here against a strict grammar, and a value that fails is refused before any action exists.
 * <p>
 * Events: AMI channel, dial, bridge and originate events whose Linkedid (or Uniqueid) is one of our call ids are
 * published as {@link PbxEvent}s, synchronously, on {@link AmiConnection}'s event thread; all others are dropped.
 */
@Component("amiPbx")
public class AmiPbx implements Pbx, DisposableBean {

	static final String BACKEND = "asterisk";

	static final String UNREACHABLE = "Asterisk unreachable";

	/** Normal Clearing: what a hang-up on behalf of a user is. */
	static final int NORMAL_CLEARING = 16;

	/** Asterisk's answer to a Hangup for a name or Uniqueid it does not know. */
	static final String NO_SUCH_CHANNEL = "No such channel";

	static final String CALL_ID_VARIABLE = "SIGNALING_CALL_ID";

	static final String AGENT_DN_VARIABLE = "SIGNALING_AGENT_DN";

	static final String CALLER_ID_VARIABLE = "SIGNALING_CALLER_ID";

	/** Kamailio copies this header into the agent leg's dialog, which ties the dialog to the call. */
	static final String CALL_ID_HEADER_VARIABLE = "PJSIP_HEADER(add,X-Call-Id)";

	static final String CALL_INFO_HEADER_VARIABLE = "PJSIP_HEADER(add,Call-Info)";

	/** Asks the agent's softphone to pick up at once (the URI is a placeholder; the parameter is what counts). */
	static final String AUTO_ANSWER_CALL_INFO = "<sip:signaling-api.invalid>;answer-after=0";

	/** A Uniqueid: never a name (names have a '/'), never the regex form (a leading '/'). */
	static final Pattern UNIQUE_ID = Pattern.compile("[A-Za-z0-9._-]{1,149}");

	/** A channel name as Asterisk writes one ("PJSIP/kamailio-00000001", "Local/1003@ctx-0001;1"). */
	static final Pattern PLAIN_CHANNEL = Pattern.compile("[\\x21-\\x7e&&[^,=\"'\\\\]]{1,128}");

	private static final int STATE_RINGING = 5;

	private static final int STATE_UP = 6;

	private static final Logger log = LoggerFactory.getLogger(AmiPbx.class);

	private final AmiConnections connections;

	private final AsteriskProperties properties;

	/** Where the next call's search for a connected node starts: calls spread over the nodes. */
	private final AtomicInteger nextNode = new AtomicInteger();

	private final ApplicationEventPublisher publisher;

	private final Clock clock;

	private final ManagerEventListener listener = this::onManagerEvent;

	private final MeterRegistry meters;

	private final ChildSpans spans;

	/** Per action and outcome, looked up once: the registry builds and sorts tags on every lookup. */
	private final Map<String, Timer> actionTimers = new ConcurrentHashMap<>();

	public AmiPbx(AmiConnections connections, AsteriskProperties properties, ApplicationEventPublisher publisher,
			Clock clock) {
		this(connections, properties, publisher, clock, new SimpleMeterRegistry(), ChildSpans.NONE);
	}

	/**
	 * @param meters where {@code signaling.asterisk.actions{action,outcome}} times every AMI action sent
	 * @param spans a span per action sent within a trace (a request's originate, hold or transfer)
	 */
	@Autowired
	public AmiPbx(AmiConnections connections, AsteriskProperties properties, ApplicationEventPublisher publisher,
			Clock clock, MeterRegistry meters, ChildSpans spans) {
		this.meters = meters;
		this.spans = spans;
		// At 0 from the start for the actions that place and end calls, which the dashboard looks at first.
		for (String action : List.of("Originate", "Hangup")) {
			for (String outcome : List.of("ok", "error", "unreachable")) {
				actionTimer(action, outcome);
			}
		}
		this.connections = connections;
		this.properties = properties;
		this.publisher = publisher;
		this.clock = clock;
		// Last: the listener runs on AmiConnection's event thread, never on asterisk-java's pump.
		connections.addEventListener(listener);
	}

	@Override
	public void destroy() {
		connections.removeEventListener(listener);
	}

	/** As the call originator ({@code signaling.calls.originator: asterisk}): {@link #originate}. */
	@Override
	public String name() {
		return ASTERISK;
	}

	// --- actions

	/**
	 * Sends {@code Originate} with {@code Async: true} to a connected node: Asterisk answers at once, and the outcome
	 * arrives as events. It is sent once, to one node: a node that fails mid-send may have queued it, so trying
	 * another could ring the agent twice.
	 * @return the node that took the call
	 * @throws IllegalArgumentException when a value is outside its grammar (nothing is sent)
	 * @throws PbxRejectedException when Asterisk answers {@code Error}
	 * @throws BackendUnavailableException when no node is connected, the answer does not come in time, or the
	 * connection fails; the originate may still have been queued in the last two cases
	 */
	@Override
	public String originate(OriginateCommand command) {
		OriginateAction action = buildOriginate(command);
		AmiConnection node = connectedNode();
		ManagerResponse response = send(node, action);
		if (!isSuccess(response)) {
			throw new PbxRejectedException(messageOr(response, "Asterisk refused the originate"));
		}
		log.info("Originate {} queued on {} for agent {}", command.callId(), node.node(), command.agentDn());
		return node.node();
	}

	/**
	 * Sends {@code Hangup} (cause 16) for one Uniqueid to the node that placed its call, or to every node when that
	 * is unknown ({@code null}, or a node no longer configured).
	 * @return false when no node has such a channel
	 * @throws IllegalArgumentException when the value is not a plain Uniqueid (nothing is sent)
	 * @throws BackendUnavailableException when the node (or, for an unknown node, any node without the channel) is
	 * not reachable
	 */
	@Override
	public boolean hangup(@Nullable String node, String uniqueId) {
		requireMatch("uniqueId", uniqueId, UNIQUE_ID.asMatchPredicate());
		if (uniqueId.startsWith("/")) {
			// Unreachable with UNIQUE_ID, kept explicit: "/regex/" would hang up every matching channel.
			throw new IllegalArgumentException("uniqueId must not start with '/'");
		}
		BackendUnavailableException unavailable = null;
		for (AmiConnection target : nodesFor(node)) {
			try {
				if (hangup(target, uniqueId)) {
					return true;
				}
			}
			catch (BackendUnavailableException ex) {
				unavailable = ex;
			}
		}
		if (unavailable != null) {
			throw unavailable;
		}
		return false;
	}

	private boolean hangup(AmiConnection node, String uniqueId) {
		ManagerResponse response = send(node, new HangupAction(uniqueId, NORMAL_CLEARING));
		if (isSuccess(response)) {
			log.info("Hung up channel {} on {}", uniqueId, node.node());
			return true;
		}
		String message = messageOr(response, "Asterisk refused the hangup");
		if (message.strip().equalsIgnoreCase(NO_SUCH_CHANNEL)) {
			return false;
		}
		throw new PbxRejectedException(message);
	}

	/**
	 * Sends {@code CoreShowChannels} to one node (every node when {@code node} is {@code null} or unknown) and waits
	 * for the whole list.
	 * @throws BackendUnavailableException when a node asked is away, or its list does not end with
	 * {@code CoreShowChannelsComplete} (asterisk-java returns a silently truncated list when the connection drops in
	 * the middle)
	 * @throws PbxRejectedException when Asterisk answers {@code Error} (e.g. the AMI user lacks
	 * {@code write=reporting})
	 */
	@Override
	public List<PbxChannel> channels(@Nullable String node) {
		List<PbxChannel> channels = new ArrayList<>();
		for (AmiConnection target : nodesFor(node)) {
			channels.addAll(channels(target));
		}
		return channels;
	}

	private List<PbxChannel> channels(AmiConnection node) {
		ManagerConnection current = requireConnected(node);
		ResponseEvents answer;
		try {
			answer = current.sendEventGeneratingAction(new CoreShowChannelsAction(), timeoutMillis());
		}
		catch (EventTimeoutException ex) {
			throw new BackendUnavailableException(BACKEND, UNREACHABLE, ex);
		}
		catch (IOException | IllegalStateException ex) {
			throw new BackendUnavailableException(BACKEND, UNREACHABLE, ex);
		}
		ManagerResponse response = answer.getResponse();
		if (response == null) {
			throw new BackendUnavailableException(BACKEND, UNREACHABLE);
		}
		if (!isSuccess(response)) {
			throw new PbxRejectedException(messageOr(response, "Asterisk refused CoreShowChannels"));
		}
		List<ResponseEvent> events = new ArrayList<>(answer.getEvents());
		if (events.isEmpty() || !(events.get(events.size() - 1) instanceof CoreShowChannelsCompleteEvent complete)) {
			throw new BackendUnavailableException(BACKEND, "Asterisk channel list incomplete (connection lost)");
		}
		List<PbxChannel> channels = new ArrayList<>();
		for (ResponseEvent event : events) {
			if (event instanceof CoreShowChannelEvent item && item.getChannel() != null
					&& item.getUniqueid() != null) {
				String linkedId = item.getLinkedid() != null ? item.getLinkedid() : item.getUniqueid();
				String state = item.getChannelStateDesc() != null ? item.getChannelStateDesc() : "";
				channels.add(new PbxChannel(item.getChannel(), item.getUniqueid(), linkedId, state));
			}
		}
		Integer listed = complete.getListitems();
		if (listed != null && listed != channels.size()) {
			throw new BackendUnavailableException(BACKEND,
					"Asterisk channel list incomplete (" + channels.size() + " of " + listed + ")");
		}
		return channels;
	}

	/** The next connected node in turn. */
	private AmiConnection connectedNode() {
		List<AmiConnection> all = connections.all();
		int start = Math.floorMod(nextNode.getAndIncrement(), Math.max(1, all.size()));
		for (int i = 0; i < all.size(); i++) {
			AmiConnection candidate = all.get((start + i) % all.size());
			if (candidate.status().isConnected()) {
				return candidate;
			}
		}
		if (all.isEmpty()) {
			throw notConfigured();
		}
		// None is: the first one's state says why (reconnecting, unreachable), kept as the cause.
		BackendUnavailableException cause = causeOf(all.get(0));
		throw (cause != null) ? new BackendUnavailableException(BACKEND, UNREACHABLE, cause)
				: new BackendUnavailableException(BACKEND, UNREACHABLE);
	}

	/** The node called {@code node}, or every node when it is {@code null} or no longer configured. */
	List<AmiConnection> nodesFor(@Nullable String node) {
		if (connections.all().isEmpty()) {
			throw notConfigured();
		}
		if (node == null) {
			return connections.all();
		}
		return connections.of(node).map(List::of).orElse(connections.all());
	}

	/** The originate as it goes on the wire; every value is checked first. */
	OriginateAction buildOriginate(OriginateCommand command) {
		String callId = command.callId();
		String dn = command.agentDn();
		String destination = command.destination();
		String callerId = command.callerId();
		requireSafe("callId", callId);
		if (!CallIds.isOurs(callId)) {
			throw new IllegalArgumentException("callId is not one of ours");
		}
		requireMatch("agentDn", dn, Grammar::isDn);
		requireMatch("destination", destination, Grammar::isDestination);
		if (callerId != null) {
			requireMatch("callerId", callerId, Grammar::isCallerId);
		}
		String channel = properties.agentChannelFor(dn);
		if (!AsteriskProperties.isSafeChannel(channel)) {
			throw new IllegalArgumentException("agent channel is not a plain dial string");
		}

		OriginateAction action = new OriginateAction();
		action.setActionId(callId);
		action.setAsync(true);
		action.setChannel(channel);
		action.setChannelId(callId);
		action.setContext(properties.originateContext());
		action.setExten(destination);
		action.setPriority(properties.originatePriority());
		action.setTimeout(ringTimeout(command.ringTimeout()).toMillis());
		// What the agent's phone shows: the number about to be called.
		action.setCallerId("\"" + destination + "\" <" + destination + ">");
		Map<String, String> variables = new LinkedHashMap<>();
		variables.put(CALL_ID_VARIABLE, callId);
		variables.put(AGENT_DN_VARIABLE, dn);
		if (callerId != null) {
			variables.put(CALLER_ID_VARIABLE, callerId);
		}
		variables.put(CALL_ID_HEADER_VARIABLE, callId);
		if (command.autoAnswer()) {
			variables.put(CALL_INFO_HEADER_VARIABLE, AUTO_ANSWER_CALL_INFO);
		}
		action.setVariables(variables);
		return action;
	}

	/** The call module applies the default and the maximum; this only refuses what Asterisk cannot take. */
	private static Duration ringTimeout(Duration requested) {
		if (requested.compareTo(Duration.ofSeconds(1)) < 0 || requested.compareTo(Duration.ofHours(1)) > 0) {
			throw new IllegalArgumentException("ring timeout must be between 1s and 1h");
		}
		return requested;
	}

	ManagerResponse send(AmiConnection node, ManagerAction action) {
		long started = System.nanoTime();
		String outcome = "unreachable";
		Span span = spans.start("ami " + action.getAction()).tag("ami.action", action.getAction());
		try (Tracer.SpanInScope scope = spans.open(span)) {
			ManagerConnection current = requireConnected(node);
			ManagerResponse response = current.sendAction(action, timeoutMillis());
			if (response == null) {
				throw new BackendUnavailableException(BACKEND, UNREACHABLE);
			}
			outcome = isSuccess(response) ? "ok" : "error";
			return response;
		}
		catch (IOException | TimeoutException | IllegalStateException ex) {
			log.warn("AMI {} failed: {}", action.getAction(), ex.toString());
			span.error(ex);
			throw new BackendUnavailableException(BACKEND, UNREACHABLE, ex);
		}
		finally {
			actionTimer(action.getAction(), outcome).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
			span.tag("outcome", outcome).end();
		}
	}

	/** Action names are this service's own, so the tag's values are a small, fixed set. */
	private Timer actionTimer(String action, String outcome) {
		return actionTimers.computeIfAbsent(action + " " + outcome, (key) -> Timer.builder("signaling.asterisk.actions")
			.description("Every AMI action sent, by action and outcome: ok (Success), error (Asterisk refused it), "
					+ "unreachable (no session, no answer in time, or the connection failed)")
			.tag("action", action)
			.tag("outcome", outcome)
			.register(meters));
	}

	private static ManagerConnection requireConnected(AmiConnection node) {
		try {
			return node.requireConnected();
		}
		catch (BackendUnavailableException ex) {
			throw new BackendUnavailableException(BACKEND, UNREACHABLE, ex);
		}
	}

	/** Why a node cannot be used now, as its session says. */
	private static @Nullable BackendUnavailableException causeOf(AmiConnection node) {
		try {
			node.requireConnected();
			return null;
		}
		catch (BackendUnavailableException ex) {
			return ex;
		}
	}

	/** Clients see "Asterisk unreachable" whatever the reason; the cause tells operators. */
	private static BackendUnavailableException notConfigured() {
		return new BackendUnavailableException(BACKEND, UNREACHABLE,
				new BackendUnavailableException(BACKEND, "Asterisk is not configured"));
	}

	private long timeoutMillis() {
		return properties.responseTimeout().toMillis();
	}

	static boolean isSuccess(ManagerResponse response) {
		return !(response instanceof ManagerError) && "Success".equalsIgnoreCase(response.getResponse());
	}

	static String messageOr(ManagerResponse response, String fallback) {
		String message = response.getMessage();
		return (message == null || message.isBlank()) ? fallback : message;
	}

	static void requireMatch(String name, @Nullable String value, Predicate<String> grammar) {
		requireSafe(name, value);
		if (!grammar.test(value)) {
			throw new IllegalArgumentException(name + " is outside its grammar");
		}
	}

	/** The characters that break AMI framing or argument parsing, whatever the field (asterisk-ami.md §5). */
	static void requireSafe(String name, @Nullable String value) {
		if (value == null || value.isEmpty()) {
			throw new IllegalArgumentException(name + " is required");
		}
		if (value.startsWith("/")) {
			throw new IllegalArgumentException(name + " must not start with '/'");
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c == 0x7f || c == ',' || c == '"' || c == '\'' || c == '\\') {
				throw new IllegalArgumentException(name + " contains a forbidden character");
			}
		}
	}

	// --- events

	private void onManagerEvent(ManagerEvent event) {
		PbxEvent translated = translate(event);
		if (translated != null && !hasPlainLeg(translated)) {
			log.debug("Ignored a new leg with an unusable channel name or Uniqueid");
			return;
		}
		if (translated != null) {
			log.debug("PBX event {}", translated);
			publisher.publishEvent(translated);
		}
	}

	/** The {@link PbxEvent} an AMI event means, or {@code null} when it means none or is not about our calls. */
	@Nullable PbxEvent translate(ManagerEvent event) {
		Instant at = clock.instant();
		if (event instanceof ConnectEvent) {
			return new PbxEvent.Reconnected(at);
		}
		if (event instanceof NewChannelEvent created) {
			String callId = callIdOf(created.getLinkedid(), created.getUniqueId());
			if (callId == null || created.getChannel() == null || created.getUniqueId() == null) {
				return null;
			}
			String linkedId = created.getLinkedid() != null ? created.getLinkedid() : created.getUniqueId();
			return new PbxEvent.LegCreated(callId, created.getChannel(), created.getUniqueId(), linkedId, at);
		}
		PbxEvent monitor = monitorEvent(event, at);
		if (monitor != null) {
			return monitor;
		}
		if (event instanceof NewStateEvent changed) {
			String callId = callIdOf(changed.getLinkedId(), changed.getUniqueId());
			if (callId == null || changed.getChannel() == null || changed.getUniqueId() == null) {
				return null;
			}
			if (isState(changed.getChannelState(), changed.getChannelStateDesc(), STATE_RINGING, "Ringing")) {
				return new PbxEvent.LegRinging(callId, changed.getChannel(), changed.getUniqueId(), at);
			}
			if (isState(changed.getChannelState(), changed.getChannelStateDesc(), STATE_UP, "Up")) {
				return new PbxEvent.LegAnswered(callId, changed.getChannel(), changed.getUniqueId(), at);
			}
			return null;
		}
		if (event instanceof DialStateEvent dial) {
			String callId = callIdOf(dial.getDestLinkedId(), dial.getDestUniqueId());
			if (callId == null || dial.getDestChannel() == null || dial.getDestUniqueId() == null
					|| !"RINGING".equalsIgnoreCase(dial.getDialStatus())) {
				return null;
			}
			return new PbxEvent.LegRinging(callId, dial.getDestChannel(), dial.getDestUniqueId(), at);
		}
		if (event instanceof BridgeEnterEvent entered) {
			String callId = callIdOf(entered.getLinkedId(), entered.getUniqueId());
			if (callId == null || entered.getChannel() == null || entered.getUniqueId() == null) {
				return null;
			}
			Integer inBridge = entered.getBridgeNumChannels();
			return new PbxEvent.LegBridged(callId, entered.getChannel(), entered.getUniqueId(),
					inBridge != null ? inBridge : 0, at);
		}
		if (event instanceof HangupEvent hangup) {
			String callId = callIdOf(hangup.getLinkedId(), hangup.getUniqueId());
			if (callId == null || hangup.getChannel() == null || hangup.getUniqueId() == null) {
				return null;
			}
			Integer cause = hangup.getCause();
			return new PbxEvent.LegHungUp(callId, hangup.getChannel(), hangup.getUniqueId(),
					cause != null ? cause : 0, hangup.getCauseTxt(), at);
		}
		if (event instanceof OriginateResponseEvent response) {
			// On failure Channel is the dial string and Uniqueid the ChannelId we gave; there is no Linkedid.
			String callId = callIdOf(null, response.getUniqueId());
			if (callId == null || !"Failure".equalsIgnoreCase(response.getResponse())) {
				return null;
			}
			Integer reason = response.getReason();
			return new PbxEvent.OriginateFailed(callId, reason != null ? reason : 0, at);
		}
		return null;
	}

	/** A monitor's supervisor leg (its Uniqueid is the monitor id) answering or hanging up; null for other legs. */
	private static @Nullable PbxEvent monitorEvent(ManagerEvent event, Instant at) {
		if (event instanceof NewStateEvent changed && changed.getUniqueId() != null
				&& CallIds.isMonitorId(changed.getUniqueId())
				&& isState(changed.getChannelState(), changed.getChannelStateDesc(), STATE_UP, "Up")) {
			return new PbxEvent.MonitorAnswered(changed.getUniqueId(), at);
		}
		if (event instanceof HangupEvent hangup && hangup.getUniqueId() != null
				&& CallIds.isMonitorId(hangup.getUniqueId())) {
			return new PbxEvent.MonitorEnded(hangup.getUniqueId(), at);
		}
		return null;
	}

	/**
	 * Whether a leg's channel name and Uniqueid are what Asterisk writes: the call record keeps them as
	 * "name=uniqueid" entries and hangs legs up by Uniqueid, so a name with a comma or '=' or control characters, or
	 * an odd Uniqueid, is not taken.
	 */
	private static boolean hasPlainLeg(PbxEvent event) {
		if (event instanceof PbxEvent.LegCreated created) {
			return isPlainChannel(created.channel()) && UNIQUE_ID.matcher(created.uniqueId()).matches();
		}
		return true;
	}

	private static boolean isPlainChannel(String channel) {
		return PLAIN_CHANNEL.matcher(channel).matches();
	}

	/** Linkedid when it is ours, else Uniqueid when it is ours, else null: not our call. */
	private static @Nullable String callIdOf(@Nullable String linkedId, @Nullable String uniqueId) {
		if (linkedId != null && CallIds.isOurs(linkedId)) {
			return linkedId;
		}
		if (uniqueId != null && CallIds.isOurs(uniqueId)) {
			return uniqueId;
		}
		return null;
	}

	private static boolean isState(@Nullable Integer state, @Nullable String description, int code, String name) {
		return state != null ? state == code : name.equalsIgnoreCase(description);
	}

}
