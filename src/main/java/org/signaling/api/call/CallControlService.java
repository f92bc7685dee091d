package org.signaling.api.call;

import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.signaling.api.call.internal.CallRecord;
import org.signaling.api.call.internal.CallRegistry;
import org.signaling.api.call.internal.EndCauses;
import org.signaling.api.call.internal.IdempotencyKeys;
import org.signaling.api.dn.DnNotFoundException;
import org.signaling.api.dn.DnService;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.ChildSpans;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;

/**
 * Places calls: a checked request, its Idempotency-Key, the agent registered, the call stored, then dialed by the
 * configured originator ({@link CallControlConfiguration}).
 */
class CallControlService {

	private static final Logger log = LoggerFactory.getLogger(CallControlService.class);

	private final MakeCallValidator validator;

	private final IdempotencyKeys idempotencyKeys;

	private final DnService dnService;

	private final CallRegistry registry;

	private final CallOriginator originator;

	private final ChildSpans spans;

	CallControlService(MakeCallValidator validator, IdempotencyKeys idempotencyKeys, DnService dnService,
			CallRegistry registry, CallOriginator originator, ChildSpans spans) {
		this.spans = spans;
		this.validator = validator;
		this.idempotencyKeys = idempotencyKeys;
		this.dnService = dnService;
		this.registry = registry;
		this.originator = originator;
		log.info("Calls are placed by {}", originator.name());
	}

	/**
	 * Places a call: rings the agent {@code from}, then {@code to}. With an Idempotency-Key already used in the
	 * replay window for the same request, returns that call and dials nothing.
	 * @throws InvalidCallRequestException 400 for a missing or malformed field, 422 for a key reused differently
	 * @throws DnNotFoundException 404 when {@code from} is not registered
	 * @throws BackendUnavailableException 503 when Kamailio or Asterisk (whichever places calls) cannot be reached
	 * @throws PbxRejectedException 502 when Asterisk refuses the originate
	 */
	Placed make(MakeCallRequest request, @Nullable String idempotencyKey) {
		MakeCallCommand command = validator.validate(request);
		IdempotencyKeys.Key key = idempotencyKeys.of(idempotencyKey, command);
		Optional<CallRecord> earlier = (key != null) ? idempotencyKeys.replay(key) : Optional.empty();
		if (earlier.isPresent()) {
			return Placed.replayed(earlier.get());
		}
		if (!dnService.isRegistered(command.from())) {
			throw new DnNotFoundException(command.from());
		}
		String callId = CallIds.newCallId();
		try {
			registry.open(callId, command, originator.name(), key, spans.currentTraceparent());
		}
		catch (DuplicateKeyException ex) {
			// A concurrent request with the same key won the race: answer what it placed.
			return Placed.replayed(idempotencyKeys.replay(key).orElseThrow(() -> ex));
		}
		dial(callId, command);
		registry.announce(callId);
		log.info("Call {} placed: {} -> {}", callId, command.from(), command.to());
		return new Placed(new MakeCallResponse("initiated", command.from(), command.to(), callId), false);
	}

	private void dial(String callId, MakeCallCommand command) {
		try {
			String node = originator.originate(new OriginateCommand(callId, command.from(), command.to(),
					command.callerId(), command.ringTimeout(), command.autoAnswer()));
			if (node != null) {
				registry.placedOn(callId, node);
			}
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
	}

	private void refused(String callId, String cause) {
		registry.end(callId, cause);
		// The request was not accepted: a retry with the same key must be able to dial.
		idempotencyKeys.release(callId);
	}

	/** The answer to a make request, and whether it replays an earlier one (Idempotency-Key). */
	record Placed(MakeCallResponse response, boolean replayed) {

		static Placed replayed(CallRecord call) {
			return new Placed(new MakeCallResponse("initiated", call.fromDn(), call.destination(), call.callId()),
					true);
		}

	}

}
