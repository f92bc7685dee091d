package org.signaling.api.call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.signaling.api.call.internal.CallRecord;
import org.signaling.api.call.internal.CallRegistry;
import org.signaling.api.call.internal.CallRepository;
import org.signaling.api.call.internal.ClickToDialTracker;
import org.signaling.api.call.internal.EndCauses;
import org.signaling.api.dn.DnNotFoundException;
import org.signaling.api.dn.DnService;
import org.signaling.api.dn.DnSyntax;
import org.signaling.api.dn.RegistrationView;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.CallerScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Places and ends calls, and tells what became of them. Every client value is checked against its grammar here,
 * before anything reaches the registry, Asterisk or Kamailio.
 */
@Service
public class CallControlService {

	private static final Logger log = LoggerFactory.getLogger(CallControlService.class);

	static final String CANNOT_CALL_ITSELF = "Cannot call a DN from itself";

	private static final Pattern CALLER_ID = Pattern.compile("\\+?[0-9]{1,32}");

	/** Visible ASCII only: the key is stored and compared, never sent anywhere. */
	private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,128}");

	private final CallRegistry registry;

	private final Pbx pbx;

	private final CallOriginator originator;

	private final DialogControl dialogControl;

	private final DialogView dialogView;

	private final DnService dnService;

	private final RegistrationView registrationView;

	private final CallsProperties properties;

	private final CallPermissions permissions;

	private final CallerScope callerScope;

	private final Clock clock;

	CallControlService(CallRegistry registry, Pbx pbx, List<CallOriginator> originators, DialogControl dialogControl,
			DialogView dialogView, DnService dnService, RegistrationView registrationView, CallsProperties properties,
			CallPermissions permissions, CallerScope callerScope, Clock clock) {
		this.registry = registry;
		this.pbx = pbx;
		// The PBX in use is also Asterisk's originator (a test double in place of AMI, say): that one first.
		this.originator = originators.stream()
			.filter((candidate) -> candidate.name().equals(properties.originator()))
			.min(java.util.Comparator.comparing((candidate) -> candidate != pbx))
			.orElseThrow(() -> new IllegalStateException(
					"signaling.calls.originator=" + properties.originator() + ": no such call originator"));
		log.info("Calls are placed by {}", originator.name());
		this.dialogControl = dialogControl;
		this.dialogView = dialogView;
		this.dnService = dnService;
		this.registrationView = registrationView;
		this.properties = properties;
		this.permissions = permissions;
		this.callerScope = callerScope;
		this.clock = clock;
	}

	/**
	 * Places a call: rings the agent {@code from}, then {@code to}. With an Idempotency-Key already used in the
	 * replay window for the same request, returns that call and dials nothing.
	 * @throws InvalidCallRequestException 400 for a missing or malformed field, 422 for a key reused differently
	 * @throws DnNotFoundException 404 when {@code from} is not registered
	 * @throws BackendUnavailableException 503 when Kamailio or Asterisk (whichever places calls) cannot be reached
	 * @throws PbxRejectedException 502 when Asterisk refuses the originate
	 */
	public Placed make(MakeCallRequest request, @Nullable String idempotencyKey) {
		MakeCallCommand command = validate(request);
		permissions.checkMake(command.from());
		String key = scoped(validateKey(idempotencyKey));
		if (key != null) {
			Optional<MakeCallResponse> replay = replay(key, command);
			if (replay.isPresent()) {
				return new Placed(replay.get(), true);
			}
		}
		if (!dnService.isRegistered(command.from())) {
			throw new DnNotFoundException(command.from());
		}
		String callId = CallIds.newCallId();
		try {
			registry.add(CallRecord.initiated(callId, command, clock.instant(), originator.name()), key,
					command.fingerprint());
		}
		catch (DuplicateKeyException ex) {
			// A concurrent request with the same key won the race: answer what it placed.
			return new Placed(replay(key, command).orElseThrow(() -> ex), true);
		}
		try {
			originator.originate(new OriginateCommand(callId, command.from(), command.to(), command.callerId(),
					command.ringTimeout(), command.autoAnswer()));
		}
		catch (BackendUnavailableException ex) {
			refused(callId, CallOriginator.KAMAILIO.equals(originator.name()) ? EndCauses.KAMAILIO_UNREACHABLE
					: EndCauses.ASTERISK_UNREACHABLE);
			throw ex;
		}
		catch (PbxRejectedException ex) {
			refused(callId, EndCauses.REJECTED_BY_ASTERISK);
			throw ex;
		}
		registry.announce(callId);
		log.info("Call {} placed: {} -> {}", callId, command.from(), command.to());
		return new Placed(new MakeCallResponse("initiated", command.from(), command.to(), callId), false);
	}

	/**
	 * Ends a call by any id the API has shown: one it placed (through Asterisk, or through Kamailio when Asterisk is
	 * down) or one only Kamailio carries (BYE both ways, or CANCEL while it rings). Ending an ended API call again
	 * answers "terminated" too.
	 * @throws CallNotFoundException 404 when no such call is known or live
	 */
	public HangupResponse hangup(HangupRequest request) {
		String callId = requireCallId(request.callId());
		Optional<CallRecord> ours = CallIds.isOurs(callId) ? registry.find(callId) : Optional.empty();
		if (ours.isPresent()) {
			permissions.checkHangup(ours.get().dns());
			if (ours.get().status().isLive()) {
				hangUpApiCall(ours.get());
			}
			return new HangupResponse("terminated", callId);
		}
		Optional<ActiveCall> dialog = findDialog(callId);
		dialog.ifPresent((found) -> permissions.checkHangup(found.dns()));
		if (dialog.isPresent() && dialogControl.end(dialog.get().sipCallId())) {
			log.info("Call {} (Kamailio dialog {}) ended over the API", callId, dialog.get().dialogId());
			return new HangupResponse("terminated", callId);
		}
		throw new CallNotFoundException(callId);
	}

	/**
	 * A call's state and correlation record.
	 * @throws CallNotFoundException 404 when no such call is known or live, and for a caller confined to its DN
	 * ({@link CallerScope}) when that DN is not in the call: the same answer, so that it learns nothing of others'
	 */
	public CallDetailsResponse details(String callId) {
		if (!CallIds.isValid(callId)) {
			throw new InvalidCallRequestException("Invalid call_id");
		}
		String confined = callerScope.confinedDn();
		Optional<CallRecord> ours = CallIds.isOurs(callId) ? registry.find(callId) : Optional.empty();
		if (ours.isPresent()) {
			CallRecord call = ours.get();
			if (confined == null || call.dns().contains(confined)) {
				return detailsOf(call);
			}
			throw new CallNotFoundException(callId);
		}
		return findDialog(callId).filter((dialog) -> confined == null || dialog.dns().contains(confined))
			.map(this::detailsOf)
			.orElseThrow(() -> new CallNotFoundException(callId));
	}

	private void hangUpApiCall(CallRecord call) {
		registry.hangUpLateLegs(call.callId());
		if (call.placedByKamailio()) {
			hangUpClickToDial(call);
			return;
		}
		try {
			for (String uniqueId : call.uniqueIds()) {
				pbx.hangup(uniqueId);
			}
		}
		catch (BackendUnavailableException ex) {
			// Asterisk is away; Kamailio can still end the agent's leg (BYE both ways), which ends the call.
			Optional<ActiveCall> dialog = findDialog(call.callId());
			if (dialog.isEmpty() || !dialogControl.end(dialog.get().sipCallId())) {
				throw ex;
			}
		}
		registry.end(call.callId(), EndCauses.HANGUP_API);
		log.info("Call {} hung up over the API", call.callId());
	}

	/**
	 * A click-to-dial call has up to two dialogs: Kamailio's INVITE to the agent (while it rings or until the REFER
	 * is done) and the agent's call to the destination; each is ended (BYE both ways, or CANCEL while it rings). A
	 * dialog that appears later (the agent following the REFER right now) is ended by {@link ClickToDialTracker}.
	 */
	private void hangUpClickToDial(CallRecord call) {
		for (ActiveCall dialog : dialogView.activeCalls().value().all()) {
			if (call.callId().equals(dialog.apiCallId())) {
				dialogControl.end(dialog.sipCallId());
			}
		}
		registry.end(call.callId(), EndCauses.HANGUP_API);
		log.info("Call {} hung up over the API", call.callId());
	}

	/** A dialog Kamailio carries now, by SIP Call-ID or by the API call id it carries. */
	private Optional<ActiveCall> findDialog(String callId) {
		return dialogView.activeCalls()
			.value()
			.all()
			.stream()
			.filter((dialog) -> callId.equals(dialog.callId()) || callId.equals(dialog.apiCallId()))
			.findFirst();
	}

	private Optional<MakeCallResponse> replay(String key, MakeCallCommand command) {
		Optional<CallRepository.Keyed> previous = registry.findByIdempotencyKey(key);
		if (previous.isEmpty()) {
			return Optional.empty();
		}
		CallRecord call = previous.get().call();
		if (call.createdAt().isBefore(clock.instant().minus(properties.idempotencyWindow()))) {
			registry.releaseIdempotencyKey(call.callId());
			return Optional.empty();
		}
		if (!CallRepository.digest(command.fingerprint()).equals(previous.get().fingerprintDigest())) {
			throw new InvalidCallRequestException(HttpStatus.UNPROCESSABLE_CONTENT,
					"Idempotency-Key already used for a different request");
		}
		return Optional.of(new MakeCallResponse("initiated", call.fromDn(), call.destination(), call.callId()));
	}

	private void refused(String callId, String cause) {
		registry.end(callId, cause);
		// The request was not accepted: a retry with the same key must be able to dial.
		registry.releaseIdempotencyKey(callId);
	}

	private MakeCallCommand validate(MakeCallRequest request) {
		String from = require(request.from(), "from");
		String to = require(request.to(), "to");
		if (!DnSyntax.isValid(from)) {
			throw new InvalidCallRequestException("Invalid from: expected a DN (1-64 characters of A-Z a-z 0-9 + * # . _ -)");
		}
		if (!Destination.isValid(to)) {
			throw new InvalidCallRequestException("Invalid to: expected " + Destination.RULE);
		}
		if (to.equals(from)) {
			// Asterisk would ring the agent twice over one registration; Kamailio would bridge a phone to itself.
			throw new InvalidCallRequestException(HttpStatus.UNPROCESSABLE_CONTENT, CANNOT_CALL_ITSELF);
		}
		String callerId = request.callerId();
		if (callerId != null && !CALLER_ID.matcher(callerId).matches()) {
			throw new InvalidCallRequestException("Invalid caller_id: expected digits with an optional leading +, 1-32");
		}
		Duration ringTimeout = properties.defaultRingTimeout();
		if (request.timeout() != null) {
			long max = properties.maxRingTimeout().toSeconds();
			if (request.timeout() < 1 || request.timeout() > max) {
				throw new InvalidCallRequestException("Invalid timeout: expected seconds from 1 to " + max);
			}
			ringTimeout = Duration.ofSeconds(request.timeout());
		}
		return new MakeCallCommand(from, to, callerId, Boolean.TRUE.equals(request.autoAnswer()), ringTimeout);
	}

	/** One client's key never replays another client's call. */
	private @Nullable String scoped(@Nullable String key) {
		return (key != null) ? CallRepository.digest(permissions.callerId() + "\n" + key) : null;
	}

	private static @Nullable String validateKey(@Nullable String key) {
		if (key == null) {
			return null;
		}
		if (!IDEMPOTENCY_KEY.matcher(key).matches()) {
			throw new InvalidCallRequestException("Invalid Idempotency-Key: expected 1-128 visible ASCII characters");
		}
		return key;
	}

	private static String requireCallId(@Nullable String callId) {
		String value = require(callId, "call_id");
		if (!CallIds.isValid(value)) {
			throw new InvalidCallRequestException("Invalid call_id");
		}
		return value;
	}

	private static String require(@Nullable String value, String name) {
		if (value == null || value.isBlank()) {
			throw InvalidCallRequestException.missing(name);
		}
		return value;
	}

	private CallDetailsResponse detailsOf(CallRecord call) {
		List<String> sipCallIds = new ArrayList<>();
		String dialogId = call.dialogId();
		if (call.sipCallId() != null) {
			sipCallIds.add(call.sipCallId());
		}
		if (call.status().isLive()) {
			for (ActiveCall dialog : dialogView.activeCalls().value().all()) {
				if (call.callId().equals(dialog.apiCallId())) {
					if (!sipCallIds.contains(dialog.sipCallId())) {
						sipCallIds.add(dialog.sipCallId());
					}
					dialogId = (dialogId != null) ? dialogId : dialog.dialogId();
				}
			}
		}
		List<CallDetailsResponse.Channel> channels = call.channels()
			.stream()
			.map((entry) -> new CallDetailsResponse.Channel(entry.substring(0, entry.lastIndexOf('=')),
					entry.substring(entry.lastIndexOf('=') + 1)))
			.toList();
		return new CallDetailsResponse(call.callId(), "api", call.status().jsonName(),
				registrationView.sipUriOf(call.fromDn()), registrationView.sipUriOf(call.destination()), call.fromDn(),
				sipCallIds, dialogId,
				call.placedByKamailio() ? null : new CallDetailsResponse.Asterisk(call.callId(), call.callId(), channels),
				call.createdAt().getEpochSecond(), epochSeconds(call.answeredAt()), epochSeconds(call.endedAt()),
				call.endCause(), call.hangupCause(), duration(call.answeredAt(), call.endedAt()), call.originator());
	}

	private CallDetailsResponse detailsOf(ActiveCall dialog) {
		return new CallDetailsResponse((dialog.apiCallId() != null) ? dialog.apiCallId() : dialog.callId(), "kamailio",
				dialog.state().jsonName(), dialog.fromUri(), dialog.toUri(), dialog.fromDn(), List.of(dialog.sipCallId()),
				dialog.dialogId(), null, dialog.createdAt().getEpochSecond(), epochSeconds(dialog.answeredAt()), null,
				null, null, duration(dialog.answeredAt(), null), null);
	}

	private long duration(@Nullable Instant answeredAt, @Nullable Instant endedAt) {
		if (answeredAt == null) {
			return 0;
		}
		Instant end = (endedAt != null) ? endedAt : clock.instant();
		return Math.max(0, Duration.between(answeredAt, end).toSeconds());
	}

	private static @Nullable Long epochSeconds(@Nullable Instant instant) {
		return (instant != null) ? instant.getEpochSecond() : null;
	}

	/** The answer to a make request, and whether it replays an earlier one (Idempotency-Key). */
	public record Placed(MakeCallResponse response, boolean replayed) {
	}

}
