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
 * The calls side of {@link AmiServerDouble}: a small model of live channels and bridges, with scripted call progress
 * ({@link CallScript}), and the AMI actions the service sends about them.
 * <ul>
 * <li>{@code Originate}: {@code Channel} required ({@code Channel not specified}) and with a {@code /}
 * ({@code Invalid channel}); {@code Timeout} and {@code Priority} integers ({@code Invalid timeout},
 * {@code Invalid priority}); {@code ChannelId} at most 149 characters. {@code Async: true} is answered
 * {@code Success / Originate successfully queued} (ActionID echoed) and the call's script starts; its events go to
 * every logged-in session, {@code OriginateResponse} with the request's ActionID. A {@code ChannelId} that is the
 * Uniqueid of a live channel makes the originate fail (Reason 0), as in Asterisk. Differences: a synchronous
 * originate (no {@code Async}) is refused with an Error, and no dialplan is checked. An originate with
 * {@code Application} runs that application on the answered leg instead of dialing a customer leg; for
 * {@code ChanSpy} the leg spies on the first live channel whose name starts with the first argument of
 * {@code Data} ({@code ChanSpyStart}), in the mode its options give ({@code w} whisper, {@code B} barge, else
 * listen), switched by received DTMF 4/5/6 with option {@code d}, and ends when the spied channel does with option
 * {@code E}.</li>
 * <li>{@code Hangup}: by channel name, then by Uniqueid; {@code No such channel} otherwise. A hit answers
 * {@code Success / Channel Hungup}, then ends the whole call: BridgeLeave for bridged legs, Hangup for every live leg
 * (cause 16, or the request's {@code Cause} for the named leg), and {@code OriginateResponse Failure} Reason 1 when
 * the agent leg had not answered yet. Exceptions: a spy leg ends alone ({@code ChanSpyStop}); the agent leg of an
 * attended transfer completes it (see {@code Atxfer}); the target leg of one ends alone and gives the customer back
 * to the agent. A regex-form channel ({@code /…/}) is recorded but never acted on: it is answered with an Error.</li>
 * <li>{@code CoreShowChannels}: listack ({@code EventList: start}), one {@code CoreShowChannel} per live channel,
 * then {@code CoreShowChannelsComplete} with {@code ListItems}.</li>
 * <li>Hold and unhold: {@code Redirect} (both legs leave their bridge; a leg sent to {@value #HOLD_CONTEXT},
 * {@value #HOLD_CUSTOMER_EXTEN} hears music on hold) and {@code Bridge} (music stops, a new bridge with both).</li>
 * <li>Media: {@code PlayDTMF} (DTMFBegin/DTMFEnd), {@code MuteAudio} and {@code Setvar} of {@code MUTEAUDIO()} (no
 * event), {@code MixMonitor},
 * {@code StopMixMonitor}, {@code MixMonitorMute} (MixMonitorStart/Stop/Mute).</li>
 * <li>Transfers: {@code BlindTransfer}, {@code Atxfer}, {@code CancelAtxfer}, with the BlindTransfer and
 * AttendedTransfer events.</li>
 * </ul>
 * Replies and error texts are Asterisk's (main/manager.c, main/features.c, apps/app_senddtmf.c,
 * res/res_mutestream.c, apps/app_mixmonitor.c, 20/22): a channel field takes a name or a Uniqueid, as Asterisk's
 * channel lookup does. Every reply is written before the events the action causes, as Asterisk queues them.
 * Simplifications, so that tests stay short: the Atxfer target is dialed as {@code PJSIP/genesys-…} from the agent
 * leg (Asterisk dials it through a Local channel); a target that never answers after the agent hung up ends the call
 * (Asterisk's {@code atxferdropcall=yes}; by default it calls the agent back); a hung-up channel's music on hold and
 * MixMonitor end without MusicOnHoldStop/MixMonitorStop; a ChanSpy that finds no channel does not look again; no
 * Newexten is written; there are no per-user permission classes (on Asterisk, MixMonitor and MuteAudio need
 * {@code write=system}, and DTMF events {@code read=dtmf}).
 * <p>
 * Channels are named like Asterisk's ({@code PJSIP/5001-00000007}, {@code PJSIP/genesys-00000008}); leg B gets an
 * Asterisk-style Uniqueid ({@code <epoch>.<n>}) and the call id as Linkedid. Note that a real Asterisk names a
 * PJSIP channel after its endpoint: {@code PJSIP/5001@kamailio} becomes {@code PJSIP/kamailio-…}, not
 * {@code PJSIP/5001-…}; never derive a DN from a channel name.
 * <p>
 * Live channels survive dropped AMI connections, as calls on Asterisk do. All state is guarded by one lock, and
 * events are written while holding it, so a script step, an AMI action and a far-side hang-up never interleave.
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

	/** What a ChanSpy leg does: listen only, whisper to the spied channel, or talk to both parties (barge). */
	public enum SpyMode {

		LISTEN, WHISPER, BARGE

	}

	/**
	 * One MixMonitor of a channel, as {@code MixMonitor}, {@code StopMixMonitor} and {@code MixMonitorMute} left it.
	 *
	 * @param id the MixMonitor's id (returned as {@code MixMonitorID} only with option {@code i(VAR)})
	 * @param file the {@code File} header as given (Asterisk puts a relative name in its monitor directory)
	 * @param readMuted audio from the channel is muted in the recording
	 * @param writeMuted audio to the channel is muted in the recording
	 */
	public record Recording(String id, String file, boolean running, boolean readMuted, boolean writeMuted) {
	}

	/**
	 * {@code MuteAudio}'s state of a channel.
	 *
	 * @param in audio from the channel to Asterisk is muted ({@code Direction: in})
	 * @param out audio from Asterisk to the channel is muted ({@code Direction: out})
	 */
	public record AudioMute(boolean in, boolean out) {
	}

	/** The endpoint the dialplan dials the destination through (leg B's channel name). */
	public static final String CUSTOMER_ENDPOINT = "genesys";

	public static final String CUSTOMER_CONTEXT = "from-genesys";

	/**
	 * The context the service's hold sends both legs to ({@code Redirect}); the double plays music on hold to a leg
	 * sent to its {@value #HOLD_CUSTOMER_EXTEN} extension, as the service's dialplan does there.
	 */
	public static final String HOLD_CONTEXT = "signaling-hold";

	public static final String HOLD_CUSTOMER_EXTEN = "customer";

	/** The music-on-hold class reported by {@code MusicOnHoldStart}. */
	public static final String MOH_CLASS = "default";

	private static final int MAX_UNIQUE_ID = 149;

	/** Asterisk's AST_DEFAULT_EMULATE_DTMF_DURATION: the length of a digit sent without a Duration. */
	private static final int DEFAULT_DTMF_MS = 100;

	private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,9}");

	/** What {@code sscanf("%d")} accepts: blanks, a sign, digits, then anything. */
	private static final Pattern LEADING_INTEGER = Pattern.compile("\\s*[-+]?[0-9]{1,9}");

	private static final Pattern CALLER_ID = Pattern.compile("\\s*\"?([^\"<]*?)\"?\\s*<([^>]*)>\\s*");

	private final AmiServerDouble server;

	private final Object lock = new Object();

	/** Live legs by Uniqueid, in creation order. */
	private final Map<String, Leg> legs = new LinkedHashMap<>();

	/** Every leg ever created, by Uniqueid, hung-up ones included: what a test asks about after the end. */
	private final Map<String, Leg> history = new LinkedHashMap<>();

	/** Bridges by id, each with its channels in the order they entered. */
	private final Map<String, List<Leg>> bridges = new LinkedHashMap<>();

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

	private volatile boolean transferTargetAnswers = true;

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
	 * {@link #runToEnd}. Off by default (every step plays right after the {@code Success} response). The steps of an
	 * {@code Atxfer} (target created, ringing, answered) are queued on the call the same way.
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

	/**
	 * Whether the target an {@code Atxfer} dials answers by itself (true, the default) or keeps ringing until
	 * {@link #answerTransferTarget} or {@link #hangupTransferTarget}.
	 */
	public SimulatedCalls transferTargetAnswers(boolean answers) {
		this.transferTargetAnswers = answers;
		return this;
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
	 * 16 for every live leg of the call, that leg first. For a spy (a ChanSpy originate), its leg ends.
	 * @return false when the call has no live leg
	 */
	public boolean hangupFromFarSide(String callId) {
		synchronized (lock) {
			Call call = calls.get(callId);
			if (call == null) {
				return false;
			}
			Leg first = isLive(call.customer) ? call.customer
					: isLive(call.agent) ? call.agent : isLive(call.target) ? call.target : null;
			if (first == null) {
				return false;
			}
			endCall(call, first, 16);
			return true;
		}
	}

	/**
	 * The target of an attended transfer answers now: Newstate Up, DialEnd ANSWER, then it enters the consultation
	 * bridge with the agent (or, once the agent has hung up, the customer's bridge). Steps still queued for it are
	 * dropped.
	 * @return false when the call has no ringing transfer target
	 */
	public boolean answerTransferTarget(String callId) {
		synchronized (lock) {
			Call call = calls.get(callId);
			if (call == null || call.transfer == Transfer.NONE || !isLive(call.target) || call.target.state == 6) {
				return false;
			}
			call.steps.clear();
			targetAnswered(call);
			return true;
		}
	}

	/**
	 * The target of an attended transfer hangs up (cause 16) or, still ringing, is not answered (DialEnd NOANSWER,
	 * cause 19). While the agent consults, the agent goes back to the customer: the consultation bridge ends, the
	 * customer's music stops and both are bridged again (Asterisk's behaviour). Once the agent has hung up (a
	 * "blond" transfer), the customer is hung up too: the double does not call the agent back.
	 * @return false when the call has no live transfer target
	 */
	public boolean hangupTransferTarget(String callId) {
		synchronized (lock) {
			Call call = calls.get(callId);
			if (call == null || call.transfer == Transfer.NONE || !isLive(call.target)) {
				return false;
			}
			targetGone(call, call.target.state == 6 ? 16 : 19);
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
			add(leg);
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

	/** Whether any leg of this call is still up, or, given a Uniqueid, whether that channel is. */
	public boolean isLive(String callIdOrUniqueId) {
		synchronized (lock) {
			Call call = calls.get(callIdOrUniqueId);
			if (call != null && (isLive(call.agent) || isLive(call.customer) || isLive(call.target))) {
				return true;
			}
			return legs.containsKey(callIdOrUniqueId);
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

	/** The name of the leg the call's last {@code Atxfer} dialed (leg C), or {@code null}. */
	public String transferTargetChannel(String callId) {
		synchronized (lock) {
			Call call = calls.get(callId);
			return (call == null || call.target == null) ? null : call.target.name;
		}
	}

	/** The Uniqueid of the leg the call's last {@code Atxfer} dialed (leg C), or {@code null}. */
	public String transferTargetUniqueId(String callId) {
		synchronized (lock) {
			Call call = calls.get(callId);
			return (call == null || call.target == null) ? null : call.target.uniqueId;
		}
	}

	/** Whether the call's customer leg hears music on hold (after a hold {@code Redirect}, or during an Atxfer). */
	public boolean isHeld(String callId) {
		synchronized (lock) {
			Call call = calls.get(callId);
			return call != null && isLive(call.customer) && call.customer.moh;
		}
	}

	/** The bridge a live channel is in, "" when in none, {@code null} when no such channel is live. */
	public String bridgeOf(String uniqueId) {
		synchronized (lock) {
			Leg leg = legs.get(uniqueId);
			return leg == null ? null : leg.bridgeId;
		}
	}

	/** The digits {@code PlayDTMF} sent to a channel's far end ({@code Receive} false), in order; "" if none. */
	public String dtmfSent(String uniqueId) {
		synchronized (lock) {
			Leg leg = history.get(uniqueId);
			return leg == null ? "" : leg.dtmfSent.toString();
		}
	}

	/** The digits {@code PlayDTMF} made a channel receive ({@code Receive: true}), in order; "" if none. */
	public String dtmfReceived(String uniqueId) {
		synchronized (lock) {
			Leg leg = history.get(uniqueId);
			return leg == null ? "" : leg.dtmfReceived.toString();
		}
	}

	/** {@code MuteAudio}'s state of a channel (nothing muted for an unknown one). */
	public AudioMute audioMute(String uniqueId) {
		synchronized (lock) {
			Leg leg = history.get(uniqueId);
			return leg == null ? new AudioMute(false, false) : new AudioMute(leg.muteIn, leg.muteOut);
		}
	}

	/** Every MixMonitor started on a channel, oldest first, stopped ones included. */
	public List<Recording> recordings(String uniqueId) {
		synchronized (lock) {
			Leg leg = history.get(uniqueId);
			return leg == null ? List.of() : leg.recordings.stream().map(MixMonitor::snapshot).toList();
		}
	}

	/** Whether a MixMonitor records the channel now. */
	public boolean isRecording(String uniqueId) {
		return recordings(uniqueId).stream().anyMatch(Recording::running);
	}

	/** The file of the channel's running MixMonitor (the oldest one), or {@code null}. */
	public String recordingFile(String uniqueId) {
		return recordings(uniqueId).stream().filter(Recording::running).map(Recording::file).findFirst().orElse(null);
	}

	/** Whether the channel's running MixMonitor has a direction muted ({@code MixMonitorMute}). */
	public boolean isRecordingMuted(String uniqueId) {
		return recordings(uniqueId).stream()
			.filter(Recording::running)
			.findFirst()
			.map(r -> r.readMuted() || r.writeMuted())
			.orElse(false);
	}

	/** The mode of a ChanSpy leg, or {@code null} when the channel runs no ChanSpy. */
	public SpyMode spyMode(String monitorUniqueId) {
		synchronized (lock) {
			Leg leg = history.get(monitorUniqueId);
			return leg == null ? null : leg.spyMode;
		}
	}

	/** The Uniqueid of the channel a ChanSpy leg spies on now, or {@code null}. */
	public String spiedUniqueId(String monitorUniqueId) {
		synchronized (lock) {
			Leg leg = legs.get(monitorUniqueId);
			return (leg == null || leg.spyee == null) ? null : leg.spyee.uniqueId;
		}
	}

	// --- actions: originate, hang up, list

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
			playUnlessManual(call);
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
			Leg leg = find(target);
			if (leg == null) {
				session.error(action, "No such channel");
				return;
			}
			session.success(action, "Message", "Channel Hungup");
			Call call = calls.get(leg.linkedId);
			if (call == null) {
				leaveBridge(leg);
				hangupLeg(leg, cause);
				return;
			}
			if (call.transfer != Transfer.NONE && leg == call.target) {
				targetGone(call, cause);
				return;
			}
			if (call.transfer == Transfer.CONSULTING && leg == call.agent && isLive(call.target)) {
				// The transferer hanging up is how an attended transfer completes (or goes "blond" while it rings).
				if (call.target.state == 6) {
					completeAttendedTransfer(call, cause);
				}
				else {
					blondTransfer(call, cause);
				}
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

	// --- actions: hold (Redirect) and unhold (Bridge)

	/**
	 * Asterisk's action_redirect: every required header is checked before the channels are looked up; a priority is
	 * an integer (a label would need a dialplan the double does not have). The legs leave their bridges and continue
	 * in the dialplan; see {@link #HOLD_CONTEXT}.
	 */
	void redirect(AmiSession session, AmiMessage action) {
		String name = action.get("Channel");
		String extraName = action.get("ExtraChannel");
		String context = action.get("Context");
		String exten = action.get("Exten");
		String extraContext = action.get("ExtraContext");
		String extraExten = action.get("ExtraExten");
		String problem = isEmpty(name) ? "Channel not specified"
				: isEmpty(context) ? "Context not specified"
				: isEmpty(exten) ? "Exten not specified"
				: isEmpty(action.get("Priority")) ? "Priority not specified"
				: priority(action.get("Priority")) < 1 ? "Priority is invalid" : null;
		boolean extraTarget = !isEmpty(extraName) && !isEmpty(extraContext);
		if (problem == null && extraTarget) {
			problem = isEmpty(extraExten) ? "ExtraExten not specified"
					: isEmpty(action.get("ExtraPriority")) ? "ExtraPriority not specified"
					: priority(action.get("ExtraPriority")) < 1 ? "ExtraPriority is invalid" : null;
		}
		if (problem != null) {
			session.error(action, problem);
			return;
		}
		synchronized (lock) {
			Leg leg = find(name);
			if (leg == null) {
				session.error(action, "Channel does not exist: " + name);
				return;
			}
			if (isEmpty(extraName)) {
				session.success(action, "Message", "Redirect successful");
				toDialplan(List.of(leg), List.of(context), List.of(exten));
				return;
			}
			Leg extra = find(extraName);
			if (extra == null) {
				session.error(action, "ExtraChannel does not exist: " + extraName);
				return;
			}
			session.success(action, "Message", "Dual Redirect successful");
			toDialplan(List.of(leg, extra), List.of(context, extraTarget ? extraContext : context),
					List.of(exten, extraTarget ? extraExten : exten));
		}
	}

	/**
	 * Asterisk's Bridge action (main/features.c): both channels are found by name prefix or Uniqueid, leave whatever
	 * they were doing (a bridge, music on hold) and meet in a new basic bridge. {@code Tone} is accepted and ignored.
	 */
	void bridge(AmiSession session, AmiMessage action) {
		String first = action.get("Channel1");
		String second = action.get("Channel2");
		if (isEmpty(first) || isEmpty(second)) {
			session.error(action, "Missing channel parameter in request");
			return;
		}
		synchronized (lock) {
			Leg one = findByPrefix(first);
			if (one == null) {
				session.error(action, "Channel1 does not exist: " + first);
				return;
			}
			Leg two = findByPrefix(second);
			if (two == null) {
				session.error(action, "Channel2 does not exist: " + second);
				return;
			}
			session.success(action, "Message", "Channels have been bridged");
			List<Leg> pair = (one == two) ? List.of(one) : List.of(one, two);
			for (Leg leg : pair) {
				leaveBridge(leg);
			}
			for (Leg leg : pair) {
				stopMoh(leg);
			}
			String bridgeId = createBridge();
			for (Leg leg : pair) {
				enterBridge(leg, bridgeId);
			}
			Call call = calls.get(one.linkedId);
			if (call != null) {
				call.bridgeId = bridgeId;
			}
		}
	}

	// --- actions: media

	/**
	 * Asterisk's PlayDTMF (apps/app_senddtmf.c): the channel is looked up first, even when none is given; only the
	 * first character of {@code Digit} counts, and it is not checked.
	 */
	void playDtmf(AmiSession session, AmiMessage action) {
		String digit = action.get("Digit");
		String duration = action.get("Duration");
		synchronized (lock) {
			Leg leg = find(action.get("Channel"));
			if (leg == null) {
				session.error(action, "Channel not found");
				return;
			}
			if (isEmpty(digit)) {
				session.error(action, "No digit specified");
				return;
			}
			long ms = 0;
			if (!isEmpty(duration)) {
				Matcher number = LEADING_INTEGER.matcher(duration);
				if (!number.lookingAt()) {
					session.error(action, "Could not convert Duration parameter");
					return;
				}
				ms = Long.parseLong(number.group().strip().replace("+", ""));
			}
			session.success(action, "Message", "DTMF successfully queued");
			char key = digit.charAt(0);
			boolean received = isTrue(action.get("Receive"));
			String direction = received ? "Received" : "Sent";
			(received ? leg.dtmfReceived : leg.dtmfSent).append(key);
			String keyText = String.valueOf(key);
			emit(channelState(event("DTMFBegin", "dtmf,all"), "", leg).with("Digit", keyText)
				.with("Direction", direction));
			emit(channelState(event("DTMFEnd", "dtmf,all"), "", leg).with("Digit", keyText)
				.with("DurationMs", Long.toString(ms > 0 ? ms : DEFAULT_DTMF_MS))
				.with("Direction", direction));
			if (received && leg.spyMode != null && leg.spyDtmfModes) {
				// ChanSpy's d option: 4 listen, 5 whisper, 6 barge
				switch (key) {
					case '4' -> leg.spyMode = SpyMode.LISTEN;
					case '5' -> leg.spyMode = SpyMode.WHISPER;
					case '6' -> leg.spyMode = SpyMode.BARGE;
					default -> {
					}
				}
			}
		}
	}

	/**
	 * Asterisk's MuteAudio (res/res_mutestream.c): Channel, State and Direction required in that order, then the
	 * channel, then the direction ({@code in}, {@code out}, {@code all}, case-sensitive). The reply has no Message,
	 * and no event is written.
	 */
	void muteAudio(AmiSession session, AmiMessage action) {
		String name = action.get("Channel");
		String state = action.get("State");
		String direction = action.get("Direction");
		String problem = isEmpty(name) ? "Channel not specified"
				: isEmpty(state) ? "State not specified" : isEmpty(direction) ? "Direction not specified" : null;
		if (problem != null) {
			session.error(action, problem);
			return;
		}
		synchronized (lock) {
			Leg leg = find(name);
			if (leg == null) {
				session.error(action, "No such channel");
				return;
			}
			boolean in = direction.equals("in") || direction.equals("all");
			boolean out = direction.equals("out") || direction.equals("all");
			if (!in && !out) {
				session.error(action, "Failed to mute/unmute stream");
				return;
			}
			boolean on = isTrue(state);
			if (in) {
				leg.muteIn = on;
			}
			if (out) {
				leg.muteOut = on;
			}
			session.respond(action, "Success");
		}
	}

	/**
	 * Asterisk's Setvar (main/manager.c action_setvar): {@code Variable} required ({@code No variable specified}); a
	 * {@code Channel} that is not there is {@code No such channel}; answered {@code Variable Set}, or
	 * {@code Variable not set} when the write fails. The one dialplan function it writes here is
	 * {@code MUTEAUDIO(in|out|all)} (func_mute: {@code on}/{@code off}, an unknown direction fails); any other variable
	 * is kept on the channel.
	 */
	void setVar(AmiSession session, AmiMessage action) {
		String name = action.get("Channel");
		String variable = action.get("Variable");
		String value = (action.get("Value") != null) ? action.get("Value") : "";
		if (isEmpty(variable)) {
			session.error(action, "No variable specified");
			return;
		}
		synchronized (lock) {
			Leg leg = isEmpty(name) ? null : find(name);
			if (!isEmpty(name) && leg == null) {
				session.error(action, "No such channel");
				return;
			}
			if (variable.startsWith("MUTEAUDIO(") && variable.endsWith(")")) {
				String direction = variable.substring("MUTEAUDIO(".length(), variable.length() - 1);
				boolean in = direction.equals("in") || direction.equals("all");
				boolean out = direction.equals("out") || direction.equals("all");
				if (leg == null || (!in && !out)) {
					session.error(action, "Variable not set");
					return;
				}
				boolean on = isTrue(value);
				if (in) {
					leg.muteIn = on;
				}
				if (out) {
					leg.muteOut = on;
				}
			}
			session.respond(action, "Success", "Message", "Variable Set");
		}
	}

	/**
	 * Asterisk's MixMonitor action: {@code MixMonitorID} is in the reply only when {@code Options} has
	 * {@code i(<variable>)} (the id is read back from that channel variable); a MixMonitor needs a file (or the
	 * {@code r()}/{@code t()} options).
	 */
	void mixMonitor(AmiSession session, AmiMessage action) {
		String name = action.get("Channel");
		if (isEmpty(name)) {
			session.error(action, "No channel specified");
			return;
		}
		String file = valueOr(action.get("File"), "");
		String options = valueOr(action.get("Options"), "");
		synchronized (lock) {
			Leg leg = find(name);
			if (leg == null) {
				session.error(action, "No such channel");
				return;
			}
			Map<Character, String> parsed = appOptions(options);
			if (file.isEmpty() && !parsed.containsKey('r') && !parsed.containsKey('t')) {
				session.error(action, "Could not start monitoring channel");
				return;
			}
			MixMonitor recording = new MixMonitor(UUID.randomUUID().toString(), file);
			leg.recordings.add(recording);
			AmiMessage reply = AmiMessage.response("Success", action.actionId());
			if (!isEmpty(parsed.get('i'))) {
				reply = reply.with("MixMonitorID", recording.id);
			}
			session.send(reply);
			emit(channelState(event("MixMonitorStart"), "", leg));
		}
	}

	/** Asterisk's StopMixMonitor action: the MixMonitor of that id, or the channel's first one when none is given. */
	void stopMixMonitor(AmiSession session, AmiMessage action) {
		String name = action.get("Channel");
		if (isEmpty(name)) {
			session.error(action, "No channel specified");
			return;
		}
		synchronized (lock) {
			Leg leg = find(name);
			if (leg == null) {
				session.error(action, "No such channel");
				return;
			}
			MixMonitor recording = runningRecording(leg, action.get("MixMonitorID"));
			if (recording == null) {
				session.error(action, "Could not stop monitoring channel");
				return;
			}
			recording.running = false;
			session.respond(action, "Success");
			emit(channelState(event("MixMonitorStop"), "", leg));
		}
	}

	/**
	 * Asterisk's MixMonitorMute action: Direction first ({@code read}, {@code write} or {@code both}), then Channel
	 * and State; a State that is not false ({@code 0}, {@code off}, {@code no}…) mutes. It acts on the channel's
	 * first MixMonitor.
	 */
	void mixMonitorMute(AmiSession session, AmiMessage action) {
		String name = action.get("Channel");
		String state = action.get("State");
		String direction = action.get("Direction");
		String normalized = direction == null ? "" : direction.toLowerCase(Locale.ROOT);
		String problem = isEmpty(direction) ? "No direction specified. Must be read, write or both"
				: !List.of("read", "write", "both").contains(normalized)
						? "Invalid direction specified. Must be read, write or both"
				: isEmpty(name) ? "No channel specified" : isEmpty(state) ? "No state specified" : null;
		if (problem != null) {
			session.error(action, problem);
			return;
		}
		boolean mute = !isFalse(state);
		synchronized (lock) {
			Leg leg = find(name);
			if (leg == null) {
				session.error(action, "No such channel");
				return;
			}
			MixMonitor recording = runningRecording(leg, null);
			if (recording == null) {
				session.error(action, "Cannot set mute flag");
				return;
			}
			if (!normalized.equals("write")) {
				recording.readMuted = mute;
			}
			if (!normalized.equals("read")) {
				recording.writeMuted = mute;
			}
			session.respond(action, "Success");
			emit(channelState(event("MixMonitorMute"), "", leg).with("Direction", normalized)
				.with("State", mute ? "1" : "0"));
		}
	}

	// --- actions: transfers

	/**
	 * Asterisk's BlindTransfer action (ast_bridge_transfer_blind): the transferer must be in a bridge
	 * ({@code Transfer invalid} otherwise); its peer leaves the bridge for {@code Exten} in {@code Context} (the
	 * transferer's context when none is given) and stays up, the transferer hangs up alone.
	 */
	void blindTransfer(AmiSession session, AmiMessage action) {
		String name = action.get("Channel");
		String exten = action.get("Exten");
		if (isEmpty(name)) {
			session.error(action, "No channel specified");
			return;
		}
		if (isEmpty(exten)) {
			session.error(action, "No extension specified");
			return;
		}
		synchronized (lock) {
			Leg transferer = find(name);
			if (transferer == null) {
				session.error(action, "Channel specified does not exist");
				return;
			}
			String context = valueOr(action.get("Context"), transferer.context);
			String bridgeId = transferer.bridgeId;
			if (bridgeId.isEmpty()) {
				session.error(action, "Transfer invalid");
				emit(blindTransferEvent("Invalid", transferer, null, "", context, exten));
				return;
			}
			session.success(action, "Message", "Transfer succeeded");
			List<Leg> transferees = peers(transferer);
			emit(blindTransferEvent("Success", transferer, transferees.isEmpty() ? null : transferees.get(0),
					bridgeId, context, exten));
			leaveBridge(transferer);
			for (Leg transferee : transferees) {
				leaveBridge(transferee);
				transferee.context = context;
				transferee.exten = exten;
			}
			hangupLeg(transferer, 16);
		}
	}

	/**
	 * Asterisk's Atxfer action only queues the atxfer feature code and the digits on the transferer, so it answers
	 * {@code Atxfer successfully queued} whenever the channel exists. The double then plays what the bridging core
	 * does when the transferer is the agent leg of a bridged call: the agent moves to a consultation bridge, the
	 * customer hears music on hold, and a target leg (C) is dialed; it answers unless
	 * {@link #transferTargetAnswers(boolean)} is off. Otherwise (no bridge, a transfer already going on) nothing
	 * happens, as the digits would reach no feature.
	 */
	void atxfer(AmiSession session, AmiMessage action) {
		String name = action.get("Channel");
		String exten = action.get("Exten");
		if (isEmpty(name)) {
			session.error(action, "No channel specified");
			return;
		}
		if (isEmpty(exten)) {
			session.error(action, "No extension specified");
			return;
		}
		synchronized (lock) {
			Leg transferer = find(name);
			if (transferer == null) {
				session.error(action, "Channel specified does not exist");
				return;
			}
			session.success(action, "Message", "Atxfer successfully queued");
			Call call = calls.get(transferer.linkedId);
			if (call == null || call.agent != transferer || transferer.bridgeId.isEmpty()
					|| call.transfer != Transfer.NONE) {
				return;
			}
			call.transfer = Transfer.CONSULTING;
			call.transferExten = exten;
			call.bridgeId = transferer.bridgeId;
			List<Leg> transferees = peers(transferer);
			leaveBridge(transferer);
			for (Leg transferee : transferees) {
				startMoh(transferee);
			}
			call.consultBridgeId = createBridge();
			enterBridge(transferer, call.consultBridgeId);
			call.steps.add(this::targetCreated);
			call.steps.add(this::targetRinging);
			if (transferTargetAnswers) {
				call.steps.add(this::targetAnswered);
			}
			playUnlessManual(call);
		}
	}

	/**
	 * Asterisk's CancelAtxfer action queues the atxferabort feature code: answered whenever the channel exists. During
	 * a consultation the target hangs up, the consultation bridge ends, the customer's music stops and agent and
	 * customer are bridged again.
	 */
	void cancelAtxfer(AmiSession session, AmiMessage action) {
		String name = action.get("Channel");
		if (isEmpty(name)) {
			session.error(action, "No channel specified");
			return;
		}
		synchronized (lock) {
			Leg transferer = find(name);
			if (transferer == null) {
				session.error(action, "Channel specified does not exist");
				return;
			}
			session.success(action, "Message", "CancelAtxfer successfully queued");
			Call call = calls.get(transferer.linkedId);
			if (call != null && call.agent == transferer && call.transfer == Transfer.CONSULTING) {
				backToCustomer(call, 16, "CANCEL");
			}
		}
	}

	// --- scripts (all run holding the lock)

	private void queueSteps(Call call, CallScript script) {
		Deque<Consumer<Call>> steps = call.steps;
		switch (script) {
			case ANSWER_AND_BRIDGE -> {
				steps.add(this::agentCreated);
				steps.add(this::agentRinging);
				steps.add(this::agentAnswered);
				if (call.application != null) {
					steps.add(this::applicationStarted);
				}
				else {
					steps.add(this::customerCreated);
					steps.add(this::customerRinging);
					steps.add(this::customerAnswered);
					steps.add(this::bridged);
				}
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

	private void playUnlessManual(Call call) {
		if (!manual) {
			while (!call.steps.isEmpty()) {
				call.steps.poll().accept(call);
			}
		}
	}

	private void agentCreated(Call call) {
		Leg agent = new Leg(nextChannelName(call.tech, call.agentResource), call.id, call.id, call.callerIdNum,
				call.callerIdName, call.context, call.exten);
		add(agent);
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

	/** The answered leg of an originate to an application runs it; ChanSpy starts spying. */
	private void applicationStarted(Call call) {
		Leg leg = call.agent;
		leg.application = call.application;
		leg.applicationData = valueOr(call.applicationData, "");
		if (!call.application.equalsIgnoreCase("ChanSpy")) {
			return;
		}
		String data = leg.applicationData;
		int comma = data.indexOf(',');
		String prefix = (comma < 0 ? data : data.substring(0, comma)).strip();
		Map<Character, String> options = appOptions(comma < 0 ? "" : data.substring(comma + 1));
		leg.spyMode = options.containsKey('B') ? SpyMode.BARGE
				: options.containsKey('w') ? SpyMode.WHISPER : SpyMode.LISTEN;
		leg.spyDtmfModes = options.containsKey('d');
		leg.spyExitWithSpyee = options.containsKey('E');
		Leg spyee = legs.values()
			.stream()
			.filter(l -> l != leg && l.name.regionMatches(true, 0, prefix, 0, prefix.length()))
			.findFirst()
			.orElse(null);
		if (spyee == null) {
			// ChanSpy keeps looking for a channel; the double does not look again.
			return;
		}
		leg.spyee = spyee;
		emit(channelState(channelState(event("ChanSpyStart"), "Spyer", leg), "Spyee", spyee));
	}

	private void customerCreated(Call call) {
		String callerId = call.variables.getOrDefault("SIGNALING_CALLER_ID",
				call.variables.getOrDefault("SIGNALING_AGENT_DN", call.callerIdNum));
		Leg customer = new Leg(nextChannelName("PJSIP", CUSTOMER_ENDPOINT), nextUniqueId(), call.id, callerId,
				callerId, CUSTOMER_CONTEXT, call.exten);
		add(customer);
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
		// as Asterisk does: the bridge is announced before anyone enters it (asterisk-java tracks bridges by it)
		String bridgeId = createBridge();
		call.bridgeId = bridgeId;
		enterBridge(call.agent, bridgeId);
		enterBridge(call.customer, bridgeId);
	}

	private void agentFailed(Call call, String dialStatus, int cause, int reason) {
		emit(channelState(event("DialEnd"), "Dest", call.agent).with("DialStatus", dialStatus));
		hangupLeg(call.agent, cause);
		originateResponse(call, "Failure", reason, call.dialString);
	}

	// --- attended transfer steps and outcomes (all run holding the lock)

	private void targetCreated(Call call) {
		if (call.transfer == Transfer.NONE) {
			return;
		}
		Leg caller = (call.customer != null) ? call.customer : call.agent;
		Leg target = new Leg(nextChannelName("PJSIP", CUSTOMER_ENDPOINT), nextUniqueId(), call.id,
				caller.callerIdNum, caller.callerIdName, CUSTOMER_CONTEXT, call.transferExten);
		add(target);
		call.target = target;
		emit(channelState(event("Newchannel"), "", target));
		emit(dial("DialBegin", call.agent, target).with("DialString", call.transferExten + "@" + CUSTOMER_ENDPOINT));
	}

	private void targetRinging(Call call) {
		if (call.transfer == Transfer.NONE || !isLive(call.target)) {
			return;
		}
		setState(call.target, 5);
		emit(dial("DialState", call.agent, call.target).with("DialStatus", "RINGING"));
	}

	private void targetAnswered(Call call) {
		if (call.transfer == Transfer.NONE || !isLive(call.target)) {
			return;
		}
		setState(call.target, 6);
		emit(dial("DialEnd", call.agent, call.target).with("DialStatus", "ANSWER"));
		if (call.transfer == Transfer.CONSULTING) {
			enterBridge(call.target, call.consultBridgeId);
			return;
		}
		// blond: the agent is gone, the target meets the customer
		enterBridge(call.target, call.bridgeId);
		call.transfer = Transfer.NONE;
	}

	/**
	 * The agent hangs up while talking to the target: AttendedTransfer (both transferer blocks are the agent leg,
	 * which Asterisk moved between the two bridges), the customer's music stops, the target joins the customer's
	 * bridge, the consultation bridge ends and the agent leg hangs up alone.
	 */
	private void completeAttendedTransfer(Call call, int cause) {
		call.steps.clear();
		List<Leg> transferees = members(call.bridgeId);
		emit(attendedTransferEvent(call, transferees.isEmpty() ? null : transferees.get(0)));
		for (Leg transferee : transferees) {
			stopMoh(transferee);
		}
		leaveBridge(call.agent);
		leaveBridge(call.target);
		enterBridge(call.target, call.bridgeId);
		hangupLeg(call.agent, cause);
		call.transfer = Transfer.NONE;
		call.consultBridgeId = "";
	}

	/**
	 * The agent hangs up while the target still rings: Asterisk's "blond" transfer. AttendedTransfer is written
	 * now, the customer's music stops (Asterisk plays ringing instead), the agent hangs up alone, and the target joins
	 * the customer when it answers.
	 */
	private void blondTransfer(Call call, int cause) {
		List<Leg> transferees = members(call.bridgeId);
		emit(attendedTransferEvent(call, transferees.isEmpty() ? null : transferees.get(0)));
		for (Leg transferee : transferees) {
			stopMoh(transferee);
		}
		leaveBridge(call.agent);
		hangupLeg(call.agent, cause);
		call.transfer = Transfer.BLOND;
		call.consultBridgeId = "";
	}

	/** The target leg ends (it hung up, or never answered): see {@link #hangupTransferTarget}. */
	private void targetGone(Call call, int cause) {
		if (call.transfer == Transfer.CONSULTING) {
			backToCustomer(call, cause, "NOANSWER");
			return;
		}
		call.steps.clear();
		call.transfer = Transfer.NONE;
		if (call.target.state != 6) {
			emit(dial("DialEnd", call.agent, call.target).with("DialStatus", "NOANSWER"));
		}
		endCall(call, call.target, cause);
	}

	/** Ends a consultation: the target hangs up, the agent leaves the consultation bridge and rejoins the customer. */
	private void backToCustomer(Call call, int targetCause, String dialStatusIfRinging) {
		call.steps.clear();
		Leg target = call.target;
		if (isLive(target)) {
			if (target.state != 6) {
				emit(dial("DialEnd", call.agent, target).with("DialStatus", dialStatusIfRinging));
			}
			leaveBridge(target);
			hangupLeg(target, targetCause);
		}
		leaveBridge(call.agent);
		List<Leg> transferees = members(call.bridgeId);
		for (Leg transferee : transferees) {
			stopMoh(transferee);
		}
		if (bridges.containsKey(call.bridgeId)) {
			enterBridge(call.agent, call.bridgeId);
		}
		call.transfer = Transfer.NONE;
		call.consultBridgeId = "";
	}

	// --- ending legs and calls

	/** Ends every live leg of a call, {@code first} first, and whatever of its script was still to come. */
	private void endCall(Call call, Leg first, int firstCause) {
		call.steps.clear();
		call.transfer = Transfer.NONE;
		List<Leg> ending = new ArrayList<>();
		ending.add(first);
		for (Leg leg : new Leg[] { call.agent, call.customer, call.target }) {
			if (isLive(leg) && leg != first) {
				ending.add(leg);
			}
		}
		for (Leg leg : ending) {
			leaveBridge(leg);
		}
		for (Leg leg : ending) {
			if (isLive(leg)) {
				hangupLeg(leg, leg == first ? firstCause : 16);
			}
		}
		if (!call.originateResponded) {
			// The dial was hung up before the agent answered: the originate thread reports HANGUP.
			originateResponse(call, "Failure", 1, call.dialString);
		}
	}

	/**
	 * Hangs one leg up: ChanSpyStop first when it was spying, then Hangup; then every ChanSpy on it stops, and ends
	 * too when it has the {@code E} option (a ChanSpy without it would look for another channel: it stays up).
	 */
	private void hangupLeg(Leg leg, int cause) {
		if (leg.spyee != null) {
			emit(channelState(channelState(event("ChanSpyStop"), "Spyer", leg), "Spyee", leg.spyee));
			leg.spyee = null;
		}
		legs.remove(leg.uniqueId);
		leg.hungUp = true;
		leg.moh = false;
		for (MixMonitor recording : leg.recordings) {
			recording.running = false;
		}
		emit(channelState(event("Hangup"), "", leg).with("Cause", Integer.toString(cause))
			.with("Cause-txt", causeText(cause)));
		for (Leg spy : new ArrayList<>(legs.values())) {
			if (spy.spyee != leg) {
				continue;
			}
			emit(channelState(channelState(event("ChanSpyStop"), "Spyer", spy), "Spyee", leg));
			spy.spyee = null;
			if (spy.spyExitWithSpyee) {
				hangupLeg(spy, 16);
			}
		}
	}

	// --- the model: channels, bridges, dialplan

	private void add(Leg leg) {
		legs.put(leg.uniqueId, leg);
		history.put(leg.uniqueId, leg);
	}

	/** Asterisk's channel lookup for AMI: the channel name first, then the Uniqueid. */
	private Leg find(String nameOrUniqueId) {
		if (isEmpty(nameOrUniqueId)) {
			return null;
		}
		return legs.values()
			.stream()
			.filter(l -> l.name.equals(nameOrUniqueId))
			.findFirst()
			.orElse(legs.get(nameOrUniqueId));
	}

	/** The lookup of the Bridge action: a full name or Uniqueid, else the first channel whose name starts so. */
	private Leg findByPrefix(String nameOrUniqueId) {
		Leg leg = find(nameOrUniqueId);
		if (leg != null || isEmpty(nameOrUniqueId)) {
			return leg;
		}
		return legs.values()
			.stream()
			.filter(l -> l.name.regionMatches(true, 0, nameOrUniqueId, 0, nameOrUniqueId.length()))
			.findFirst()
			.orElse(null);
	}

	private String createBridge() {
		String bridgeId = UUID.randomUUID().toString();
		bridges.put(bridgeId, new ArrayList<>());
		emit(bridgeOnly("BridgeCreate", bridgeId, 0));
		return bridgeId;
	}

	private void enterBridge(Leg leg, String bridgeId) {
		List<Leg> members = bridges.get(bridgeId);
		if (members == null || !isLive(leg)) {
			return;
		}
		members.add(leg);
		leg.bridgeId = bridgeId;
		emit(bridge("BridgeEnter", bridgeId, members.size(), leg));
	}

	/** The leg leaves its bridge, if any; a bridge left empty is destroyed. */
	private void leaveBridge(Leg leg) {
		if (leg == null || leg.bridgeId.isEmpty()) {
			return;
		}
		String bridgeId = leg.bridgeId;
		List<Leg> members = bridges.getOrDefault(bridgeId, new ArrayList<>());
		members.remove(leg);
		leg.bridgeId = "";
		emit(bridge("BridgeLeave", bridgeId, members.size(), leg));
		if (members.isEmpty()) {
			bridges.remove(bridgeId);
			emit(bridgeOnly("BridgeDestroy", bridgeId, 0));
		}
	}

	private List<Leg> members(String bridgeId) {
		return List.copyOf(bridges.getOrDefault(bridgeId, List.of()));
	}

	/** The other channels in the leg's bridge. */
	private List<Leg> peers(Leg leg) {
		return members(leg.bridgeId).stream().filter(l -> l != leg).toList();
	}

	/** Redirected legs leave their bridges, then go to their new places in the dialplan. */
	private void toDialplan(List<Leg> moving, List<String> contexts, List<String> extens) {
		for (Leg leg : moving) {
			leaveBridge(leg);
		}
		for (int i = 0; i < moving.size(); i++) {
			Leg leg = moving.get(i);
			leg.context = contexts.get(i);
			leg.exten = extens.get(i);
			if (leg.context.equals(HOLD_CONTEXT) && leg.exten.equals(HOLD_CUSTOMER_EXTEN)) {
				leg.application = "MusicOnHold";
				leg.applicationData = MOH_CLASS;
				startMoh(leg);
			}
			else {
				stopMoh(leg);
			}
		}
	}

	private void startMoh(Leg leg) {
		if (!leg.moh) {
			leg.moh = true;
			emit(channelState(event("MusicOnHoldStart"), "", leg).with("Class", MOH_CLASS));
		}
	}

	private void stopMoh(Leg leg) {
		if (leg.moh) {
			leg.moh = false;
			emit(channelState(event("MusicOnHoldStop"), "", leg));
		}
	}

	private static MixMonitor runningRecording(Leg leg, String id) {
		return leg.recordings.stream()
			.filter(r -> r.running && (isEmpty(id) || r.id.equals(id)))
			.findFirst()
			.orElse(null);
	}

	private void setState(Leg leg, int state) {
		leg.state = state;
		emit(channelState(event("Newstate"), "", leg));
	}

	private void originateResponse(Call call, String response, int reason, String channel) {
		call.originateResponded = true;
		AmiMessage message = withActionId(event("OriginateResponse"), call.actionId).with("Response", response)
			.with("Channel", channel);
		message = (call.application != null)
				? message.with("Application", call.application).with("Data", valueOr(call.applicationData, ""))
				: message.with("Context", call.context).with("Exten", call.exten);
		message = message.with("Reason", Integer.toString(reason))
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
		return event(name, "call,all");
	}

	private static AmiMessage event(String name, String privilege) {
		return AmiMessage.event(name).with("Privilege", privilege);
	}

	private static AmiMessage withActionId(AmiMessage message, String actionId) {
		return (actionId == null || actionId.isEmpty()) ? message : message.with("ActionID", actionId);
	}

	/**
	 * Asterisk's channel-state block (asterisk-ami.md §2.3), with a prefix for another channel of the event
	 * ({@code Dest} in Dial events, {@code Spyer}/{@code Spyee}, {@code Transferer}…).
	 */
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
		return bridgeState(event(name), "", bridgeId, inBridge);
	}

	/** Asterisk's bridge-state block (main/manager_bridges.c), with a prefix ({@code Orig}, {@code Second}). */
	private static AmiMessage bridgeState(AmiMessage message, String prefix, String bridgeId, int inBridge) {
		return message.with(prefix + "BridgeUniqueid", bridgeId)
			.with(prefix + "BridgeType", "basic")
			.with(prefix + "BridgeTechnology", "simple_bridge")
			.with(prefix + "BridgeCreator", "<unknown>")
			.with(prefix + "BridgeName", "<unknown>")
			.with(prefix + "BridgeNumChannels", Integer.toString(inBridge))
			.with(prefix + "BridgeVideoSourceMode", "none");
	}

	/**
	 * The BlindTransfer event (main/stasis_bridges.c): Result, the transferer's block, the transferee's and the
	 * bridge's when there are some, then IsExternal, Context, Extension.
	 */
	private AmiMessage blindTransferEvent(String result, Leg transferer, Leg transferee, String bridgeId,
			String context, String exten) {
		AmiMessage message = channelState(event("BlindTransfer").with("Result", result), "Transferer", transferer);
		if (transferee != null) {
			message = channelState(message, "Transferee", transferee);
		}
		if (!bridgeId.isEmpty()) {
			message = bridgeState(message, "", bridgeId, members(bridgeId).size());
		}
		return message.with("IsExternal", "No").with("Context", context).with("Extension", exten);
	}

	/**
	 * The AttendedTransfer event of a completed feature transfer, in the order Asterisk writes it: the original
	 * transferer and bridge (the customer's), the second transferer and bridge (the consultation), transferee,
	 * target, then {@code DestType: Bridge} with the surviving bridge (the customer's).
	 */
	private AmiMessage attendedTransferEvent(Call call, Leg transferee) {
		AmiMessage message = channelState(event("AttendedTransfer").with("Result", "Success"), "OrigTransferer",
				call.agent);
		message = bridgeState(message, "Orig", call.bridgeId, members(call.bridgeId).size());
		message = channelState(message, "SecondTransferer", call.agent);
		message = bridgeState(message, "Second", call.consultBridgeId, members(call.consultBridgeId).size());
		if (transferee != null) {
			message = channelState(message, "Transferee", transferee);
		}
		message = channelState(message, "TransferTarget", call.target);
		return message.with("IsExternal", "No").with("DestType", "Bridge").with("DestBridgeUniqueid", call.bridgeId);
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

	private static boolean isEmpty(String value) {
		return value == null || value.isEmpty();
	}

	private static String valueOr(String value, String fallback) {
		return isEmpty(value) ? fallback : value;
	}

	/** A priority as Redirect reads it: {@code sscanf("%d")}; 0 (invalid) for anything else. */
	private static int priority(String value) {
		Matcher number = LEADING_INTEGER.matcher(value);
		return number.lookingAt() ? Integer.parseInt(number.group().strip().replace("+", "")) : 0;
	}

	/** Asterisk's ast_true. */
	private static boolean isTrue(String value) {
		if (value == null) {
			return false;
		}
		String v = value.strip().toLowerCase(Locale.ROOT);
		return v.equals("true") || v.equals("yes") || v.equals("1") || v.equals("on") || v.equals("y")
				|| v.equals("t");
	}

	/** Asterisk's ast_false. */
	private static boolean isFalse(String value) {
		if (value == null) {
			return false;
		}
		String v = value.strip().toLowerCase(Locale.ROOT);
		return v.equals("false") || v.equals("no") || v.equals("0") || v.equals("off") || v.equals("n")
				|| v.equals("f");
	}

	/** Application options as Asterisk parses them: one letter each, an argument in parentheses after some. */
	static Map<Character, String> appOptions(String options) {
		Map<Character, String> parsed = new LinkedHashMap<>();
		int i = 0;
		while (i < options.length()) {
			char option = options.charAt(i++);
			String argument = "";
			if (i < options.length() && options.charAt(i) == '(') {
				int close = options.indexOf(')', i);
				int end = close < 0 ? options.length() : close;
				argument = options.substring(i + 1, end);
				i = close < 0 ? end : close + 1;
			}
			if (!Character.isWhitespace(option)) {
				parsed.put(option, argument);
			}
		}
		return parsed;
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

	/** Where a call's attended transfer stands. */
	private enum Transfer {

		/** No transfer going on. */
		NONE,

		/** The agent is in a consultation bridge with the target (ringing or up); the customer is on hold. */
		CONSULTING,

		/** The agent hung up while the target rang: the target joins the customer when it answers. */
		BLOND

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

		/** The {@code Application} of an originate to an application, else {@code null}. */
		final String application;

		final String applicationData;

		final String callerIdNum;

		final String callerIdName;

		final Map<String, String> variables;

		final Deque<Consumer<Call>> steps = new ArrayDeque<>();

		Leg agent;

		Leg customer;

		/** The leg the last Atxfer dialed (leg C). */
		Leg target;

		/** The customer's bridge (the one an attended transfer keeps). */
		String bridgeId = "";

		/** The bridge of agent and target during an attended transfer. */
		String consultBridgeId = "";

		Transfer transfer = Transfer.NONE;

		String transferExten = "";

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
			this.application = isEmpty(action.get("Application")) ? null : action.get("Application");
			this.applicationData = action.get("Data");
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

	}

	/** One MixMonitor. Guarded by the lock. */
	private static final class MixMonitor {

		final String id;

		final String file;

		boolean running = true;

		boolean readMuted;

		boolean writeMuted;

		MixMonitor(String id, String file) {
			this.id = id;
			this.file = file;
		}

		Recording snapshot() {
			return new Recording(id, file, running, readMuted, writeMuted);
		}

	}

	/** One channel. Guarded by the lock. */
	private static final class Leg {

		final String name;

		final String uniqueId;

		final String linkedId;

		final String callerIdNum;

		final String callerIdName;

		/** Where the channel is in the dialplan; a Redirect or a blind transfer moves it. */
		String context;

		String exten;

		Instant created = Instant.now();

		int state;

		String bridgeId = "";

		String application = "AppDial";

		String applicationData = "(Outgoing Line)";

		boolean hungUp;

		/** Music on hold plays to the channel. */
		boolean moh;

		boolean muteIn;

		boolean muteOut;

		final StringBuilder dtmfSent = new StringBuilder();

		final StringBuilder dtmfReceived = new StringBuilder();

		final List<MixMonitor> recordings = new ArrayList<>();

		/** The mode of a ChanSpy leg; {@code null} for any other channel. */
		SpyMode spyMode;

		/** ChanSpy's d option: received DTMF 4, 5, 6 switch the mode. */
		boolean spyDtmfModes;

		/** ChanSpy's E option: the spy ends when the spied channel does. */
		boolean spyExitWithSpyee;

		/** The channel this ChanSpy leg spies on now. */
		Leg spyee;

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
