package org.signaling.api.call.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.signaling.api.call.ActiveCall;
import org.signaling.api.call.CallIds;
import org.signaling.api.call.CallNotFoundException;
import org.signaling.api.call.CallPermissions;
import org.signaling.api.call.DialogView;
import org.signaling.api.call.InvalidCallRequestException;
import org.signaling.api.call.MediaControl;
import org.signaling.api.call.MediaControl.Legs;
import org.signaling.api.call.MediaControl.MonitorMode;
import org.signaling.api.call.MediaControlApi.DtmfRequest;
import org.signaling.api.call.MediaControlApi.DtmfResponse;
import org.signaling.api.call.MediaControlApi.HoldResponse;
import org.signaling.api.call.MediaControlApi.MonitorRequest;
import org.signaling.api.call.MediaControlApi.MonitorResponse;
import org.signaling.api.call.MediaControlApi.MuteRequest;
import org.signaling.api.call.MediaControlApi.MuteResponse;
import org.signaling.api.call.MediaControlApi.RecordingRequest;
import org.signaling.api.call.MediaControlApi.RecordingResponse;
import org.signaling.api.call.MediaControlApi.TransferRequest;
import org.signaling.api.call.MediaControlApi.TransferResponse;
import org.signaling.api.call.internal.CallControlStore.Control;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.EventTypes;
import org.signaling.api.shared.Grammar;
import org.signaling.api.shared.ProblemType;
import org.signaling.api.shared.Problems;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Hold, DTMF, mute, recording, transfers and monitors on calls the API placed through Asterisk. One rule for all:
 * the call must be ours, carried by Asterisk, live and answered, and the caller must be one of its DNs' agents or a
 * supervisor ({@link CallPermissions#checkControl}); every value is checked here before it goes to
 * {@link MediaControl}. Each change of state is stored ({@link CallControlStore}) with its event in one transaction,
 * after Asterisk accepted the action.
 */
@Component
public class CallMedia {

	private static final Pattern DIGITS = Pattern.compile("[0-9*#A-D]{1,32}");

	private static final int DEFAULT_DTMF_MS = 100;

	private static final int DEFAULT_TRANSFER_TIMEOUT_S = 20;

	/** A transfer whose completion Asterisk was asked for: never shown (a request sees answered or completed). */
	static final String COMPLETING = "completing";

	/** A transfer whose cancel Asterisk was asked for. */
	static final String CANCELLING = "cancelling";

	private final CallRegistry registry;

	private final DialogView dialogs;

	private final MediaControl media;

	private final CallPermissions permissions;

	private final CallControlStore store;

	private final EventLog events;

	private final TransactionTemplate transactions;

	private final Clock clock;

	CallMedia(CallRegistry registry, DialogView dialogs, MediaControl media, CallPermissions permissions,
			CallControlStore store, EventLog events, TransactionTemplate transactions, Clock clock) {
		this.registry = registry;
		this.dialogs = dialogs;
		this.media = media;
		this.permissions = permissions;
		this.store = store;
		this.events = events;
		this.transactions = transactions;
		this.clock = clock;
	}

	// --- hold, DTMF, mute

	public HoldResponse hold(String callId, boolean hold) {
		CallRecord call = controllable(callId);
		Legs legs = legsOf(call);
		if (activeTransfer(call.callId()).isPresent()) {
			throw conflict("A transfer of call " + callId + " is in progress");
		}
		if (hold) {
			media.hold(legs);
		}
		else {
			media.unhold(legs);
		}
		Instant now = clock.instant();
		Control state = new Control(holdId(call.callId()), call.callId(), CallControlStore.HOLD,
				hold ? "held" : "unheld", "", null, null, now, now);
		commit(state, hold ? EventTypes.CALL_HELD : EventTypes.CALL_UNHELD, call, Map.of("held", hold));
		return new HoldResponse(call.callId(), hold);
	}

	public DtmfResponse dtmf(String callId, DtmfRequest request) {
		String digits = required("digits", request.digits());
		if (!DIGITS.matcher(digits).matches()) {
			throw new InvalidCallRequestException("Invalid digits: expected 1-32 of 0-9 * # A-D");
		}
		int duration = (request.durationMs() != null) ? request.durationMs() : DEFAULT_DTMF_MS;
		if (duration < 40 || duration > 2000) {
			throw new InvalidCallRequestException("Invalid duration_ms: expected 40 to 2000");
		}
		CallRecord call = controllable(callId);
		Legs legs = legsOf(call);
		for (char digit : digits.toCharArray()) {
			media.dtmf(legs, digit, duration);
		}
		append(EventTypes.CALL_DTMF_SENT, call, Map.of("digits", digits, "duration_ms", duration));
		return new DtmfResponse(call.callId(), digits, duration);
	}

	public MuteResponse mute(String callId, MuteRequest request) {
		String direction = oneOf("direction", request.direction(), Set.of("in", "out", "all"));
		String state = oneOf("state", request.state(), Set.of("on", "off"));
		CallRecord call = controllable(callId);
		media.mute(legsOf(call), direction, "on".equals(state));
		append("on".equals(state) ? EventTypes.CALL_MUTED : EventTypes.CALL_UNMUTED, call,
				Map.of("direction", direction));
		return new MuteResponse(call.callId(), direction, state);
	}

	// --- recording

	public RecordingResponse recording(String callId, RecordingRequest request) {
		String action = oneOf("action", request.action(), Set.of("start", "stop", "pause", "resume"));
		CallRecord call = controllable(callId);
		Legs legs = legsOf(call);
		Optional<Control> running = store.ofCall(call.callId(), CallControlStore.RECORDING)
			.stream()
			.filter((recording) -> !"stopped".equals(recording.state()))
			.findFirst();
		Instant now = clock.instant();
		if ("start".equals(action)) {
			if (running.isPresent()) {
				throw conflict("Call " + callId + " is already being recorded (" + running.get().id() + ")");
			}
			String id = CallIds.newControlId("rec-");
			String file = id + ".wav";
			String mixMonitorId = media.startRecording(legs, file);
			Control started = new Control(id, call.callId(), CallControlStore.RECORDING, "recording", file, null,
					mixMonitorId, now, now);
			commit(started, EventTypes.CALL_RECORDING_STARTED, call, recordingData(started));
			return recordingResponse(started);
		}
		Control recording = running
			.orElseThrow(() -> conflict("Call " + callId + " is not being recorded"));
		Control changed;
		String type;
		switch (action) {
			case "stop" -> {
				media.stopRecording(legs, (recording.extra() != null) ? recording.extra() : "");
				changed = recording.with("stopped", null, recording.extra(), now);
				type = EventTypes.CALL_RECORDING_STOPPED;
			}
			case "pause" -> {
				media.pauseRecording(legs, true);
				changed = recording.with("paused", null, recording.extra(), now);
				type = EventTypes.CALL_RECORDING_PAUSED;
			}
			default -> {
				media.pauseRecording(legs, false);
				changed = recording.with("recording", null, recording.extra(), now);
				type = EventTypes.CALL_RECORDING_RESUMED;
			}
		}
		commit(changed, type, call, recordingData(changed));
		return recordingResponse(changed);
	}

	// --- transfers

	public TransferResponse transfer(String callId, TransferRequest request) {
		String to = required("to", request.to());
		if (!Grammar.isDestination(to)) {
			throw new InvalidCallRequestException("Invalid to: expected a DN or a number");
		}
		String mode = (request.mode() != null) ? oneOf("mode", request.mode(), Set.of("blind", "attended"))
				: "blind";
		int timeout = (request.timeout() != null) ? request.timeout() : DEFAULT_TRANSFER_TIMEOUT_S;
		if (timeout < 5 || timeout > 120) {
			throw new InvalidCallRequestException("Invalid timeout: expected 5 to 120 seconds");
		}
		CallRecord call = controllable(callId);
		Legs legs = legsOf(call);
		if (activeTransfer(call.callId()).isPresent()) {
			throw conflict("A transfer of call " + callId + " is already in progress");
		}
		Instant now = clock.instant();
		String id = CallIds.newControlId("tr-");
		Control transfer;
		if ("blind".equals(mode)) {
			media.blindTransfer(legs, to);
			transfer = new Control(id, call.callId(), CallControlStore.TRANSFER, "completed", to, mode, null, now,
					now);
			commit(transfer, EventTypes.CALL_TRANSFER_COMPLETED, call, transferData(transfer));
		}
		else {
			// Stored (with its event) before Asterisk is asked: the target may answer before Atxfer's reply arrives,
			// and its progress must find the transfer.
			transfer = new Control(id, call.callId(), CallControlStore.TRANSFER, "ringing", to, mode,
					"timeout=" + timeout, now, now);
			commit(transfer, EventTypes.CALL_TRANSFER_RINGING, call, transferData(transfer));
			try {
				media.attendedTransfer(legs, to);
			}
			catch (RuntimeException ex) {
				Control failed = transfer.with("failed", mode, transfer.extra(), clock.instant());
				commit(failed, EventTypes.CALL_TRANSFER_FAILED, call, transferData(failed));
				throw ex;
			}
			transfer = store.find(id).orElse(transfer);
		}
		return transferResponse(transfer);
	}

	public TransferResponse transfer(String transferId) {
		Control transfer = shown(control(transferId, CallControlStore.TRANSFER));
		registry.find(transfer.callId()).ifPresent((call) -> permissions.checkControl(call.dns()));
		return transferResponse(transfer);
	}

	/** The agent leaves; the customer and the target talk. Only an answered attended transfer can complete. */
	public TransferResponse completeTransfer(String transferId) {
		Control transfer = control(transferId, CallControlStore.TRANSFER);
		CallRecord call = controllable(transfer.callId());
		if (!"answered".equals(transfer.state())) {
			throw conflict("Transfer " + transferId + " is " + transfer.state() + ", not answered");
		}
		return settle(transfer, call, COMPLETING, "completed", EventTypes.CALL_TRANSFER_COMPLETED,
				() -> media.completeAttendedTransfer(legsOf(call)));
	}

	/** The agent back with the customer. */
	public TransferResponse cancelTransfer(String transferId) {
		Control transfer = control(transferId, CallControlStore.TRANSFER);
		CallRecord call = controllable(transfer.callId());
		if (!isActive(transfer)) {
			throw conflict("Transfer " + transferId + " is already " + transfer.state());
		}
		return settle(transfer, call, CANCELLING, "cancelled", EventTypes.CALL_TRANSFER_CANCELLED,
				() -> media.cancelAttendedTransfer(legsOf(call)));
	}

	/**
	 * Ends a transfer through Asterisk: the legs the action hangs up (the agent's when completing, the target's when
	 * cancelling) are reported by Asterisk, possibly before the action's own answer. Marked {@code transient} first
	 * (no event), so that their hang-ups are not taken for the call or the target going away; then the outcome with
	 * its event, or, when Asterisk refused, the transfer as it was.
	 */
	private TransferResponse settle(Control transfer, CallRecord call, String transientState, String outcome,
			String type, Runnable action) {
		store.save(transfer.with(transientState, transfer.mode(), transfer.extra(), clock.instant()));
		try {
			action.run();
		}
		catch (RuntimeException ex) {
			store.save(transfer);
			throw ex;
		}
		Control settled = transfer.with(outcome, transfer.mode(), transfer.extra(), clock.instant());
		commit(settled, type, call, transferData(settled));
		return transferResponse(settled);
	}

	// --- monitors

	public MonitorResponse monitor(String callId, MonitorRequest request) {
		String supervisorDn = required("supervisor_dn", request.supervisorDn());
		if (!Grammar.isDn(supervisorDn)) {
			throw new InvalidCallRequestException("Invalid supervisor_dn: expected a DN");
		}
		MonitorMode mode = monitorMode(request.mode());
		CallRecord call = controllable(callId);
		Legs legs = legsOf(call);
		boolean alreadyIn = store.ofCall(call.callId(), CallControlStore.MONITOR)
			.stream()
			.anyMatch((monitor) -> !"ended".equals(monitor.state()) && monitor.detail().equals(supervisorDn));
		if (alreadyIn) {
			throw conflict("Supervisor " + supervisorDn + " already monitors call " + callId);
		}
		String id = CallIds.newControlId(CallIds.MONITOR_PREFIX);
		Instant now = clock.instant();
		Control monitor = new Control(id, call.callId(), CallControlStore.MONITOR, "ringing", supervisorDn,
				modeName(mode), null, now, now);
		// Stored before Asterisk is asked: the supervisor's leg may answer before the Originate's reply arrives.
		commit(monitor, EventTypes.CALL_MONITOR_STARTED, call, monitorData(monitor));
		try {
			media.monitor(legs, id, supervisorDn, mode);
		}
		catch (RuntimeException ex) {
			Control ended = monitor.with("ended", monitor.mode(), monitor.extra(), clock.instant());
			commit(ended, EventTypes.CALL_MONITOR_ENDED, call, monitorData(ended));
			throw ex;
		}
		return monitorResponse(store.find(id).orElse(monitor));
	}

	public MonitorResponse monitorMode(String monitorId, @Nullable String requestedMode) {
		MonitorMode mode = monitorMode(required("mode", requestedMode));
		Control monitor = activeMonitor(monitorId);
		CallRecord call = controllable(monitor.callId());
		media.monitorMode(call.pbxNode(), monitor.id(), mode);
		Control changed = monitor.with(monitor.state(), modeName(mode), monitor.extra(), clock.instant());
		commit(changed, EventTypes.CALL_MONITOR_MODE_CHANGED, call, monitorData(changed));
		return monitorResponse(changed);
	}

	public MonitorResponse endMonitor(String monitorId) {
		Control monitor = activeMonitor(monitorId);
		Optional<CallRecord> call = registry.find(monitor.callId());
		call.ifPresent((found) -> permissions.checkControl(found.dns()));
		media.endMonitor(call.map(CallRecord::pbxNode).orElse(null), monitor.id());
		Control ended = monitor.with("ended", monitor.mode(), monitor.extra(), clock.instant());
		commit(ended, EventTypes.CALL_MONITOR_ENDED, call.orElse(null), monitorData(ended));
		return monitorResponse(ended);
	}

	// --- the rule

	/**
	 * The call, when it may be controlled by this caller now.
	 * @throws InvalidCallRequestException 400 for a malformed id
	 * @throws CallNotFoundException 404 when no such call is known
	 * @throws org.springframework.web.ErrorResponseException 403 for another DN's agent, 409 when Asterisk does not
	 * carry it or it is not answered or has ended
	 */
	private CallRecord controllable(@Nullable String callId) {
		if (callId == null || !CallIds.isValid(callId)) {
			throw new InvalidCallRequestException("Invalid call id");
		}
		Optional<CallRecord> call = CallIds.isOurs(callId) ? registry.find(callId) : Optional.empty();
		if (call.isEmpty()) {
			Optional<ActiveCall> dialog = LiveDialogs.find(dialogs, callId);
			if (dialog.isPresent()) {
				permissions.checkControl(dialog.get().dns());
				throw needsAsterisk(callId);
			}
			throw new CallNotFoundException(callId);
		}
		permissions.checkControl(call.get().dns());
		if (call.get().placedByKamailio()) {
			throw needsAsterisk(callId);
		}
		if (!call.get().status().isLive()) {
			throw conflict("Call " + callId + " has ended");
		}
		if (call.get().answeredAt() == null || customerLeg(call.get()) == null) {
			throw conflict("Call " + callId + " is not answered yet");
		}
		return call.get();
	}

	static Legs legsOf(CallRecord call) {
		CallRecord.Leg agent = call.channels()
			.stream()
			.filter((leg) -> leg.uniqueId().equals(call.callId()))
			.findFirst()
			.orElse(new CallRecord.Leg("", call.callId()));
		CallRecord.Leg customer = customerLeg(call);
		return new Legs(call.pbxNode(), call.callId(), agent.channel(), customer.uniqueId());
	}

	/** The first leg that is not the agent's: the destination the originate dialed. */
	private static CallRecord.@Nullable Leg customerLeg(CallRecord call) {
		return call.channels().stream().filter((leg) -> !leg.uniqueId().equals(call.callId())).findFirst()
			.orElse(null);
	}

	private Optional<Control> activeTransfer(String callId) {
		return store.ofCall(callId, CallControlStore.TRANSFER).stream().filter(CallMedia::isActive).findFirst();
	}

	/** Ringing, answered, or being completed or cancelled right now: another transfer has to wait. */
	private static boolean isActive(Control transfer) {
		return "ringing".equals(transfer.state()) || "answered".equals(transfer.state())
				|| COMPLETING.equals(transfer.state()) || CANCELLING.equals(transfer.state());
	}

	private Control activeMonitor(String monitorId) {
		Control monitor = control(monitorId, CallControlStore.MONITOR);
		if ("ended".equals(monitor.state())) {
			throw conflict("Monitor " + monitorId + " has ended");
		}
		return monitor;
	}

	private Control control(@Nullable String id, String kind) {
		if (id == null || !CallIds.isControlId(id)) {
			throw new InvalidCallRequestException("Invalid " + kind + " id");
		}
		return store.find(id)
			.filter((found) -> found.kind().equals(kind))
			.orElseThrow(() -> Problems.exception(ProblemType.CONTROL_NOT_FOUND, "No " + kind + " " + id));
	}

	// --- state and events

	private void commit(Control state, String type, @Nullable CallRecord call, Map<String, Object> data) {
		transactions.executeWithoutResult((status) -> {
			store.save(state);
			appendNow(type, state.callId(), call, data);
		});
	}

	private void append(String type, CallRecord call, Map<String, Object> data) {
		appendNow(type, call.callId(), call, data);
	}

	private void appendNow(String type, String callId, @Nullable CallRecord call, Map<String, Object> data) {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("call_id", callId);
		if (call != null) {
			payload.put("dns", List.copyOf(call.dns()));
		}
		payload.putAll(data);
		events.append(type, "call", callId, payload);
	}

	/** Applies a transfer's progress reported by Asterisk; the caller holds leadership. */
	void transferProgress(Control transfer, String state, @Nullable String targetUniqueId, String type) {
		CallRecord call = registry.find(transfer.callId()).orElse(null);
		Control changed = transfer.with(state, transfer.mode(),
				(targetUniqueId != null) ? targetUniqueId : transfer.extra(), clock.instant());
		commit(changed, type, call, transferData(changed));
	}

	/** A monitor's supervisor leg answered, or hung up, as Asterisk reports it. */
	void monitorProgress(Control monitor, String state, String type) {
		CallRecord call = registry.find(monitor.callId()).orElse(null);
		Control changed = monitor.with(state, monitor.mode(), monitor.extra(), clock.instant());
		commit(changed, type, call, monitorData(changed));
	}

	private static Map<String, Object> recordingData(Control recording) {
		return Map.of("recording_id", recording.id(), "state", recording.state(), "file", recording.detail());
	}

	private static Map<String, Object> transferData(Control transfer) {
		return Map.of("transfer_id", transfer.id(), "state", transfer.state(), "to", transfer.detail(), "mode",
				String.valueOf(transfer.mode()));
	}

	private static Map<String, Object> monitorData(Control monitor) {
		return Map.of("monitor_id", monitor.id(), "state", monitor.state(), "supervisor_dn", monitor.detail(),
				"mode", String.valueOf(monitor.mode()));
	}

	private static RecordingResponse recordingResponse(Control recording) {
		return new RecordingResponse(recording.id(), recording.callId(), recording.state(), recording.detail());
	}

	/** What a client is shown of a transfer being settled: the state it had. */
	private static Control shown(Control transfer) {
		return switch (transfer.state()) {
			case COMPLETING -> transfer.with("answered", transfer.mode(), transfer.extra(), transfer.updatedAt());
			// until answered, extra holds the ring timeout; from then on the target's leg
			case CANCELLING -> transfer.with((transfer.extra() != null && transfer.extra().startsWith("timeout="))
					? "ringing" : "answered", transfer.mode(), transfer.extra(), transfer.updatedAt());
			default -> transfer;
		};
	}

	static TransferResponse transferResponse(Control transfer) {
		return new TransferResponse(transfer.id(), transfer.callId(), transfer.detail(),
				String.valueOf(transfer.mode()), transfer.state());
	}

	private static MonitorResponse monitorResponse(Control monitor) {
		return new MonitorResponse(monitor.id(), monitor.callId(), monitor.detail(), String.valueOf(monitor.mode()),
				monitor.state());
	}

	/** How long an attended transfer's target may ring ({@code timeout} of the request). */
	static Duration transferTimeout(Control transfer) {
		String extra = transfer.extra();
		if (extra != null && extra.startsWith("timeout=")) {
			return Duration.ofSeconds(Integer.parseInt(extra.substring("timeout=".length())));
		}
		return Duration.ofSeconds(DEFAULT_TRANSFER_TIMEOUT_S);
	}

	// --- values

	private static String holdId(String callId) {
		return "hold-" + callId;
	}

	private static MonitorMode monitorMode(@Nullable String mode) {
		String name = (mode != null) ? oneOf("mode", mode, Set.of("listen", "whisper", "barge")) : "listen";
		return MonitorMode.valueOf(name.toUpperCase(Locale.ROOT));
	}

	private static String modeName(MonitorMode mode) {
		return mode.name().toLowerCase(Locale.ROOT);
	}

	private static String required(String name, @Nullable String value) {
		if (value == null || value.isEmpty()) {
			throw InvalidCallRequestException.missing(name);
		}
		return value;
	}

	private static String oneOf(String name, @Nullable String value, Set<String> allowed) {
		String present = required(name, value);
		if (!allowed.contains(present)) {
			throw new InvalidCallRequestException("Invalid " + name + ": expected one of "
					+ String.join(", ", allowed.stream().sorted().toList()));
		}
		return present;
	}

	private static RuntimeException conflict(String message) {
		return Problems.exception(ProblemType.CALL_CONTROL_CONFLICT, message);
	}

	private static RuntimeException needsAsterisk(String callId) {
		return Problems.exception(ProblemType.MEDIA_PATH_REQUIRED,
				"Call " + callId + " needs Asterisk in the media path");
	}

}
