package org.signaling.api.testsupport.ami;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calls side of {@link AmiServerDouble}: {@code Originate}, {@code Hangup} and {@code CoreShowChannels} over a
 * small model of live channels, with scripted call progress ({@link CallScript}).
 * <ul>
 * <li>{@code Originate}: {@code Channel} required ({@code Channel not specified}) and with a {@code /}
 * ({@code Invalid channel}); {@code Timeout} and {@code Priority} integers ({@code Invalid timeout},
 * {@code Invalid priority}); {@code ChannelId} at most 149 characters. {@code Async: true} is answered
 * {@code Success / Originate successfully queued} (ActionID echoed) and the call's script starts; its events go to
 * every logged-in session, {@code OriginateResponse} with the request's ActionID. A {@code ChannelId} that is the
 * Uniqueid of a live channel makes the originate fail (Reason 0), as in Asterisk. Differences: a synchronous
 * originate (no {@code Async}) is refused with an Error, and no dialplan is checked.</li>
 * <li>{@code Hangup}: by channel name, then by Uniqueid; {@code No such channel} otherwise. A hit answers
 * {@code Success / Channel Hungup}, then ends the whole call: BridgeLeave for bridged legs, Hangup for every live leg
 * (cause 16, or the request's {@code Cause} for the named leg), and {@code OriginateResponse Failure} Reason 1 when
 * the agent leg had not answered yet. A regex-form channel ({@code /…/}) is recorded but never acted on: it is
 * answered with an Error.</li>
 * <li>{@code CoreShowChannels}: listack ({@code EventList: start}), one {@code CoreShowChannel} per live channel,
 * then {@code CoreShowChannelsComplete} with {@code ListItems}.</li>
 * </ul>
 * Channels are named like Asterisk's ({@code PJSIP/5001-00000007}, {@code PJSIP/genesys-00000008}); leg B gets an
 * Asterisk-style Uniqueid ({@code <epoch>.<n>}) and the call id as Linkedid. Note that a real Asterisk names a
 * PJSIP channel after its endpoint: {@code PJSIP/5001@kamailio} becomes {@code PJSIP/kamailio-…}, not
 * {@code PJSIP/5001-…}; never derive a DN from a channel name.
 * <p>
 * Live channels survive dropped AMI connections, as calls on Asterisk do. All state is guarded by one lock, and
 * events are written while holding it, so a script step, an AMI Hangup and a far-side hang-up never interleave.
 */
public final class SimulatedCalls {

	/**
	 * A live channel, as {@code CoreShowChannels} reports it.
	 *
	 * @param bridgeId the bridge it is in, or "" when in none
	 */
	public record Channel(String name, String uniqueId, String linkedId, int state, String stateDesc,
			String bridgeId) {
	}

	/** The endpoint the dialplan dials the destination through (leg B's channel name). */
	public static final String CUSTOMER_ENDPOINT = "genesys";

	public static final String CUSTOMER_CONTEXT = "from-genesys";

	private static final int MAX_UNIQUE_ID = 149;

	private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,9}");

	private static final Pattern CALLER_ID = Pattern.compile("\\s*\"?([^\"<]*?)\"?\\s*<([^>]*)>\\s*");

	private final AmiServerDouble server;

	private final Object lock = new Object();

	/** Live legs by Uniqueid, in creation order. */
	private final Map<String, Leg> legs = new LinkedHashMap<>();

	/** Calls by call id (leg A's Uniqueid), ended ones included. */
	private final Map<String, Call> calls = new LinkedHashMap<>();

	private final Map<String, CallScript> scripts = new ConcurrentHashMap<>();

	private final Set<String> suppressed = ConcurrentHashMap.newKeySet();

	/** The first channel gets sequence 7, like the reference transcripts. */
	private final AtomicInteger channelSequence = new AtomicInteger(6);

	private final AtomicInteger uniqueIdSequence = new AtomicInteger();

	private final long epochSecond = Instant.now().getEpochSecond();

	private final AtomicInteger truncateNextList = new AtomicInteger(-1);

	private volatile CallScript defaultScript = CallScript.ANSWER_AND_BRIDGE;

	private volatile boolean manual;

	SimulatedCalls(AmiServerDouble server) {
		this.server = server;
	}

	// --- test hooks: scripts

	/** The script of every originate that has no script of its own (initially {@link CallScript#ANSWER_AND_BRIDGE}). */
	public SimulatedCalls defaultScript(CallScript script) {
		this.defaultScript = script;
		return this;
	}

	/** The script of the originate whose {@code ChannelId} is this call id. */
	public SimulatedCalls script(String callId, CallScript script) {
		scripts.put(callId, script);
		return this;
	}

	/**
	 * Manual mode: an originate is answered and its steps are queued, but none is played until {@link #step} or
	 * {@link #runToEnd}. Off by default (every step plays right after the {@code Success} response).
	 */
	public SimulatedCalls manualStepping(boolean enabled) {
		this.manual = enabled;
		return this;
	}

	/**
	 * Plays the next step of a call (manual mode).
	 * @return false when the call has no step left (or is unknown)
	 */
	public boolean step(String callId) {
		synchronized (lock) {
			Call call = calls.get(callId);
			if (call == null || call.steps.isEmpty()) {
				return false;
			}
			call.steps.poll().accept(call);
			return true;
		}
	}

	/** Plays every remaining step of a call. Returns how many ran. */
	public int runToEnd(String callId) {
		int ran = 0;
		while (ran < 100 && step(callId)) {
			ran++;
		}
		return ran;
	}

	/** How many steps of a call are still to play. */
	public int pendingSteps(String callId) {
		synchronized (lock) {
			Call call = calls.get(callId);
			return call == null ? 0 : call.steps.size();
		}
	}

	// --- test hooks: faults and the far side

	/**
	 * Stops writing events of these names ({@code "Hangup"}, {@code "OriginateResponse"}, …); the model still
	 * changes, so a suppressed Hangup leaves a channel gone from {@code CoreShowChannels} with no event: a missed
	 * event, as after a lost connection.
	 */
	public SimulatedCalls suppressEvents(String... eventNames) {
		for (String name : eventNames) {
			suppressed.add(name.toLowerCase(Locale.ROOT));
		}
		return this;
	}

	/** Writes every event again. */
	public SimulatedCalls resumeEvents() {
		suppressed.clear();
		return this;
	}

	/**
	 * The customer (leg B, or leg A when there is no B yet) hangs up: BridgeLeave for bridged legs, then Hangup cause
	 * 16 for every live leg of the call, that leg first.
	 * @return false when the call has no live leg
	 */
	public boolean hangupFromFarSide(String callId) {
		synchronized (lock) {
			Call call = calls.get(callId);
			if (call == null) {
				return false;
			}
			Leg first = isLive(call.customer) ? call.customer : isLive(call.agent) ? call.agent : null;
			if (first == null) {
				return false;
			}
			endCall(call, first, 16);
			return true;
		}
	}

	/**
	 * Adds a live channel that belongs to no call of ours (another application's call), e.g. to see it listed by
	 * {@code CoreShowChannels}. No event is written.
	 */
	public SimulatedCalls addForeignChannel(String name, String uniqueId, String linkedId) {
		synchronized (lock) {
			Leg leg = new Leg(name, uniqueId, linkedId, "100", "Someone", "default", "100");
			leg.state = 6;
			legs.put(uniqueId, leg);
		}
		return this;
	}

	/**
	 * The next {@code CoreShowChannels} writes the listack and this many items, then closes the connection instead of
	 * completing the list (a disconnect mid-list).
	 */
	public SimulatedCalls truncateNextChannelList(int itemsBeforeDrop) {
		truncateNextList.set(itemsBeforeDrop);
		return this;
	}

	// --- observation

	/** The live channels, oldest first. */
	public List<Channel> liveChannels() {
		synchronized (lock) {
			return legs.values().stream().map(Leg::snapshot).toList();
		}
	}

	/** Whether any leg of this call is still up. */
	public boolean isLive(String callId) {
		synchronized (lock) {
			Call call = calls.get(callId);
			return call != null && (isLive(call.agent) || isLive(call.customer));
		}
	}

	/** The name of a call's agent leg (leg A), or {@code null} when it never got one. */
	public String agentChannel(String callId) {
		synchronized (lock) {
			Call call = calls.get(callId);
			return (call == null || call.agent == null) ? null : call.agent.name;
		}
	}

	/** The name of a call's customer leg (leg B), or {@code null}. */
	public String customerChannel(String callId) {
		synchronized (lock) {
			Call call = calls.get(callId);
			return (call == null || call.customer == null) ? null : call.customer.name;
		}
	}

	/** The Uniqueid of a call's customer leg (leg B), or {@code null}. */
	public String customerUniqueId(String callId) {
		synchronized (lock) {
			Call call = calls.get(callId);
			return (call == null || call.customer == null) ? null : call.customer.uniqueId;
		}
	}

	// --- actions

	void originate(AmiSession session, AmiMessage action) {
		String dialString = action.get("Channel");
		if (dialString == null || dialString.isEmpty()) {
			session.error(action, "Channel not specified");
			return;
		}
		if (dialString.indexOf('/') < 0) {
			session.error(action, "Invalid channel");
			return;
		}
		String timeout = action.get("Timeout");
		if (timeout != null && !timeout.isEmpty() && !INTEGER.matcher(timeout).matches()) {
			session.error(action, "Invalid timeout");
			return;
		}
		String priority = action.get("Priority");
		if (priority != null && !priority.isEmpty() && !INTEGER.matcher(priority).matches()) {
			session.error(action, "Invalid priority");
			return;
		}
		String channelId = action.get("ChannelId");
		if (channelId != null && channelId.length() > MAX_UNIQUE_ID) {
			session.error(action, "Uniqueid length exceeds maximum of " + MAX_UNIQUE_ID);
			return;
		}
		if (!isTrue(action.get("Async"))) {
			session.error(action, "Synchronous Originate is not simulated by the double");
			return;
		}
		String callId = (channelId == null || channelId.isEmpty()) ? nextUniqueId() : channelId;
		synchronized (lock) {
			// Queued before answering: once a client has the answer, the call and its steps exist.
			Call call = new Call(callId, action.actionId(), dialString, action, variables(action));
			boolean inUse = legs.containsKey(callId);
			if (!inUse) {
				calls.put(callId, call);
				queueSteps(call, scripts.getOrDefault(callId, defaultScript));
			}
			session.success(action, "Message", "Originate successfully queued");
			if (inUse) {
				// Asterisk cannot create a channel with a Uniqueid in use: the async originate fails.
				originateResponse(call, "Failure", 0, dialString);
				return;
			}
			if (!manual) {
				while (!call.steps.isEmpty()) {
					call.steps.poll().accept(call);
				}
			}
		}
	}

	void hangup(AmiSession session, AmiMessage action) {
		String target = action.get("Channel");
		if (target == null || target.isEmpty()) {
			session.error(action, "No channel specified");
			return;
		}
		if (target.startsWith("/")) {
			// Asterisk would hang up every channel matching the regex; the double records it and refuses.
			session.error(action, "Regex hangup is not simulated by the double: nothing was hung up");
			return;
		}
		String causeHeader = action.get("Cause");
		int cause = 16;
		if (causeHeader != null && INTEGER.matcher(causeHeader).matches()) {
			int requested = Integer.parseInt(causeHeader);
			cause = (requested >= 0 && requested <= 127) ? requested : 16;
		}
		synchronized (lock) {
			Leg leg = legs.values().stream().filter(l -> l.name.equals(target)).findFirst().orElse(legs.get(target));
			if (leg == null) {
				session.error(action, "No such channel");
				return;
			}
			session.success(action, "Message", "Channel Hungup");
			Call call = calls.get(leg.linkedId);
			if (call == null) {
				hangupLeg(leg, cause);
				return;
			}
			endCall(call, leg, cause);
		}
	}

	void coreShowChannels(AmiSession session, AmiMessage action) {
		List<Leg> snapshot;
		synchronized (lock) {
			snapshot = legs.values().stream().map(Leg::copy).toList();
		}
		int dropAfter = truncateNextList.getAndSet(-1);
		session.respond(action, "Success", "EventList", "start", "Message", "Channels will follow");
		String actionId = action.actionId();
		int written = 0;
		for (Leg leg : snapshot) {
			if (written == dropAfter) {
				session.close();
				return;
			}
			AmiMessage item = withActionId(AmiMessage.event("CoreShowChannel"), actionId);
			item = channelState(item, "", leg).with("Application", leg.application)
				.with("ApplicationData", leg.applicationData)
				.with("Duration", duration(leg.created))
				.with("BridgeId", leg.bridgeId);
			session.send(item);
			written++;
		}
		if (written == dropAfter) {
			session.close();
			return;
		}
		session.send(withActionId(AmiMessage.event("CoreShowChannelsComplete"), actionId).with("EventList", "Complete")
			.with("ListItems", Integer.toString(written)));
	}

	// --- scripts (all run holding the lock)

	private void queueSteps(Call call, CallScript script) {
		Deque<Consumer<Call>> steps = call.steps;
		switch (script) {
			case ANSWER_AND_BRIDGE -> {
				steps.add(this::agentCreated);
				steps.add(this::agentRinging);
				steps.add(this::agentAnswered);
				steps.add(this::customerCreated);
				steps.add(this::customerRinging);
				steps.add(this::customerAnswered);
				steps.add(this::bridged);
			}
			case AGENT_RINGING_FOREVER -> {
				steps.add(this::agentCreated);
				steps.add(this::agentRinging);
			}
			case AGENT_BUSY -> {
				steps.add(this::agentCreated);
				steps.add(c -> agentFailed(c, "BUSY", 17, 5));
			}
			case NO_ANSWER -> {
				steps.add(this::agentCreated);
				steps.add(this::agentRinging);
				steps.add(c -> agentFailed(c, "NOANSWER", 19, 3));
			}
			case CONGESTION -> {
				steps.add(this::agentCreated);
				steps.add(c -> agentFailed(c, "CONGESTION", 34, 8));
			}
			case FAILURE -> steps.add(c -> originateResponse(c, "Failure", 0, c.dialString));
		}
	}

	private void agentCreated(Call call) {
		Leg agent = new Leg(nextChannelName(call.tech, call.agentResource), call.id, call.id, call.callerIdNum,
				call.callerIdName, call.context, call.exten);
		legs.put(agent.uniqueId, agent);
		call.agent = agent;
		emit(channelState(event("Newchannel"), "", agent));
		emit(channelState(event("DialBegin"), "Dest", agent).with("DialString", call.dialResource));
	}

	private void agentRinging(Call call) {
		setState(call.agent, 5);
	}

	private void agentAnswered(Call call) {
		setState(call.agent, 6);
		emit(channelState(event("DialEnd"), "Dest", call.agent).with("DialStatus", "ANSWER"));
		originateResponse(call, "Success", 4, call.agent.name);
	}

	private void customerCreated(Call call) {
		String callerId = call.variables.getOrDefault("SIGNALING_CALLER_ID",
				call.variables.getOrDefault("SIGNALING_AGENT_DN", call.callerIdNum));
		Leg customer = new Leg(nextChannelName("PJSIP", CUSTOMER_ENDPOINT), nextUniqueId(), call.id, callerId,
				callerId, CUSTOMER_CONTEXT, call.exten);
		legs.put(customer.uniqueId, customer);
		call.customer = customer;
		call.agent.application = "Dial";
		call.agent.applicationData = "PJSIP/" + call.exten + "@" + CUSTOMER_ENDPOINT;
		emit(channelState(event("Newchannel"), "", customer));
		emit(dial("DialBegin", call.agent, customer).with("DialString", call.exten + "@" + CUSTOMER_ENDPOINT));
	}

	private void customerRinging(Call call) {
		setState(call.customer, 5);
		emit(dial("DialState", call.agent, call.customer).with("DialStatus", "RINGING"));
	}

	private void customerAnswered(Call call) {
		setState(call.customer, 6);
		emit(dial("DialEnd", call.agent, call.customer).with("DialStatus", "ANSWER"));
	}

	private void bridged(Call call) {
		String bridgeId = UUID.randomUUID().toString();
		call.bridgeId = bridgeId;
		// as Asterisk does: the bridge is announced before anyone enters it (asterisk-java tracks bridges by it)
		emit(bridgeOnly("BridgeCreate", bridgeId, 0));
		int inBridge = 0;
		for (Leg leg : List.of(call.agent, call.customer)) {
			leg.bridgeId = bridgeId;
			emit(bridge("BridgeEnter", bridgeId, ++inBridge, leg));
		}
	}

	private void agentFailed(Call call, String dialStatus, int cause, int reason) {
		emit(channelState(event("DialEnd"), "Dest", call.agent).with("DialStatus", dialStatus));
		hangupLeg(call.agent, cause);
		originateResponse(call, "Failure", reason, call.dialString);
	}

	/** Ends every live leg of a call, {@code first} first, and whatever of its script was still to come. */
	private void endCall(Call call, Leg first, int firstCause) {
		call.steps.clear();
		List<Leg> ending = new ArrayList<>();
		ending.add(first);
		for (Leg leg : new Leg[] { call.agent, call.customer }) {
			if (isLive(leg) && leg != first) {
				ending.add(leg);
			}
		}
		int inBridge = (int) ending.stream().filter(l -> !l.bridgeId.isEmpty()).count();
		String emptied = null;
		for (Leg leg : ending) {
			if (!leg.bridgeId.isEmpty()) {
				emit(bridge("BridgeLeave", leg.bridgeId, --inBridge, leg));
				emptied = leg.bridgeId;
			}
		}
		if (emptied != null) {
			emit(bridgeOnly("BridgeDestroy", emptied, 0));
		}
		for (Leg leg : ending) {
			hangupLeg(leg, leg == first ? firstCause : 16);
		}
		if (!call.originateResponded) {
			// The dial was hung up before the agent answered: the originate thread reports HANGUP.
			originateResponse(call, "Failure", 1, call.dialString);
		}
	}

	private void hangupLeg(Leg leg, int cause) {
		legs.remove(leg.uniqueId);
		leg.hungUp = true;
		emit(channelState(event("Hangup"), "", leg).with("Cause", Integer.toString(cause))
			.with("Cause-txt", causeText(cause)));
	}

	private void setState(Leg leg, int state) {
		leg.state = state;
		emit(channelState(event("Newstate"), "", leg));
	}

	private void originateResponse(Call call, String response, int reason, String channel) {
		call.originateResponded = true;
		AmiMessage message = withActionId(event("OriginateResponse"), call.actionId).with("Response", response)
			.with("Channel", channel)
			.with("Context", call.context)
			.with("Exten", call.exten)
			.with("Reason", Integer.toString(reason))
			.with("Uniqueid", call.id)
			.with("CallerIDNum", orUnknown(call.callerIdNum))
			.with("CallerIDName", orUnknown(call.callerIdName));
		emit(message);
	}

	private void emit(AmiMessage event) {
		String name = event.get("Event");
		if (name != null && suppressed.contains(name.toLowerCase(Locale.ROOT))) {
			return;
		}
		server.pushEvent(event);
	}

	// --- message building

	private static AmiMessage event(String name) {
		return AmiMessage.event(name).with("Privilege", "call,all");
	}

	private static AmiMessage withActionId(AmiMessage message, String actionId) {
		return (actionId == null || actionId.isEmpty()) ? message : message.with("ActionID", actionId);
	}

	/** Asterisk's channel-state block (asterisk-ami.md §2.3), with {@code Dest} as prefix for the dialed side. */
	private static AmiMessage channelState(AmiMessage message, String prefix, Leg leg) {
		return message.with(prefix + "Channel", leg.name)
			.with(prefix + "ChannelState", Integer.toString(leg.state))
			.with(prefix + "ChannelStateDesc", stateDesc(leg.state))
			.with(prefix + "CallerIDNum", orUnknown(leg.callerIdNum))
			.with(prefix + "CallerIDName", orUnknown(leg.callerIdName))
			.with(prefix + "ConnectedLineNum", "<unknown>")
			.with(prefix + "ConnectedLineName", "<unknown>")
			.with(prefix + "Language", "en")
			.with(prefix + "AccountCode", "")
			.with(prefix + "Context", leg.context)
			.with(prefix + "Exten", leg.exten)
			.with(prefix + "Priority", "1")
			.with(prefix + "Uniqueid", leg.uniqueId)
			.with(prefix + "Linkedid", leg.linkedId);
	}

	private static AmiMessage dial(String name, Leg caller, Leg dest) {
		return channelState(channelState(event(name), "", caller), "Dest", dest);
	}

	private static AmiMessage bridge(String name, String bridgeId, int inBridge, Leg leg) {
		return channelState(bridgeOnly(name, bridgeId, inBridge), "", leg);
	}

	private static AmiMessage bridgeOnly(String name, String bridgeId, int inBridge) {
		return event(name).with("BridgeUniqueid", bridgeId)
			.with("BridgeType", "basic")
			.with("BridgeTechnology", "simple_bridge")
			.with("BridgeCreator", "<unknown>")
			.with("BridgeName", "<unknown>")
			.with("BridgeNumChannels", Integer.toString(inBridge))
			.with("BridgeVideoSourceMode", "none");
	}

	// --- helpers

	private String nextChannelName(String tech, String resource) {
		return tech + "/" + resource + "-" + String.format(Locale.ROOT, "%08x", channelSequence.incrementAndGet());
	}

	private String nextUniqueId() {
		return epochSecond + "." + uniqueIdSequence.incrementAndGet();
	}

	private static boolean isLive(Leg leg) {
		return leg != null && !leg.hungUp;
	}

	private static boolean isTrue(String value) {
		if (value == null) {
			return false;
		}
		String v = value.strip().toLowerCase(Locale.ROOT);
		return v.equals("true") || v.equals("yes") || v.equals("1") || v.equals("on") || v.equals("y")
				|| v.equals("t");
	}

	/**
	 * {@code Variable} headers as Asterisk reads them: each value split on commas outside parentheses, each item
	 * {@code name=value}.
	 */
	static Map<String, String> variables(AmiMessage action) {
		Map<String, String> variables = new LinkedHashMap<>();
		for (String header : action.getAll("Variable")) {
			int depth = 0;
			int start = 0;
			for (int i = 0; i <= header.length(); i++) {
				char c = i < header.length() ? header.charAt(i) : ',';
				if (c == '(') {
					depth++;
				}
				else if (c == ')' && depth > 0) {
					depth--;
				}
				else if (c == ',' && depth == 0) {
					String item = header.substring(start, i);
					int equals = item.indexOf('=');
					if (equals > 0) {
						variables.put(item.substring(0, equals), item.substring(equals + 1));
					}
					start = i + 1;
				}
			}
		}
		return variables;
	}

	private static String stateDesc(int state) {
		return switch (state) {
			case 0 -> "Down";
			case 4 -> "Ring";
			case 5 -> "Ringing";
			case 6 -> "Up";
			default -> "Unknown";
		};
	}

	private static String causeText(int cause) {
		return switch (cause) {
			case 16 -> "Normal Clearing";
			case 17 -> "User busy";
			case 19 -> "User alerting, no answer";
			case 21 -> "Call Rejected";
			case 34 -> "Circuit/channel congestion";
			default -> "Unknown";
		};
	}

	private static String orUnknown(String value) {
		return (value == null || value.isEmpty()) ? "<unknown>" : value;
	}

	private static String duration(Instant since) {
		long seconds = Math.max(0, Duration.between(since, Instant.now()).getSeconds());
		return String.format(Locale.ROOT, "%02d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60);
	}

	/** One originate: what was asked and how far its script got. Guarded by the lock. */
	private static final class Call {

		final String id;

		final String actionId;

		final String dialString;

		final String tech;

		/** What follows the technology: {@code 5001@kamailio}. */
		final String dialResource;

		/** The part a channel is named after in the double: {@code 5001}. */
		final String agentResource;

		final String context;

		final String exten;

		final String callerIdNum;

		final String callerIdName;

		final Map<String, String> variables;

		final Deque<Consumer<Call>> steps = new ArrayDeque<>();

		Leg agent;

		Leg customer;

		String bridgeId = "";

		boolean originateResponded;

		Call(String id, String actionId, String dialString, AmiMessage action, Map<String, String> variables) {
			this.id = id;
			this.actionId = actionId;
			this.dialString = dialString;
			int slash = dialString.indexOf('/');
			this.tech = dialString.substring(0, slash);
			this.dialResource = dialString.substring(slash + 1);
			String resource = dialResource;
			int at = resource.indexOf('@');
			resource = at >= 0 ? resource.substring(0, at) : resource;
			resource = resource.substring(resource.lastIndexOf('/') + 1);
			this.agentResource = resource.isEmpty() ? "unknown" : resource;
			this.context = valueOr(action.get("Context"), "default");
			this.exten = valueOr(action.get("Exten"), "s");
			String callerId = action.get("CallerID");
			Matcher parsed = CALLER_ID.matcher(callerId == null ? "" : callerId);
			if (parsed.matches()) {
				this.callerIdName = parsed.group(1);
				this.callerIdNum = parsed.group(2);
			}
			else {
				this.callerIdName = "";
				this.callerIdNum = callerId == null ? "" : callerId;
			}
			this.variables = variables;
		}

		private static String valueOr(String value, String fallback) {
			return (value == null || value.isEmpty()) ? fallback : value;
		}

	}

	/** One channel. Guarded by the lock. */
	private static final class Leg {

		final String name;

		final String uniqueId;

		final String linkedId;

		final String callerIdNum;

		final String callerIdName;

		final String context;

		final String exten;

		Instant created = Instant.now();

		int state;

		String bridgeId = "";

		String application = "AppDial";

		String applicationData = "(Outgoing Line)";

		boolean hungUp;

		Leg(String name, String uniqueId, String linkedId, String callerIdNum, String callerIdName, String context,
				String exten) {
			this.name = name;
			this.uniqueId = uniqueId;
			this.linkedId = linkedId;
			this.callerIdNum = callerIdNum;
			this.callerIdName = callerIdName;
			this.context = context;
			this.exten = exten;
		}

		Channel snapshot() {
			return new Channel(name, uniqueId, linkedId, state, stateDesc(state), bridgeId);
		}

		Leg copy() {
			Leg copy = new Leg(name, uniqueId, linkedId, callerIdNum, callerIdName, context, exten);
			copy.state = state;
			copy.bridgeId = bridgeId;
			copy.application = application;
			copy.applicationData = applicationData;
			copy.created = created;
			return copy;
		}

	}

}
