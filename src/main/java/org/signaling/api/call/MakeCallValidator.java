package org.signaling.api.call;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.signaling.api.shared.Grammar;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Turns a {@code POST /api/call/make} body into a {@link MakeCallCommand}: every value checked against its grammar
 * ({@link Grammar}) and the configured bounds, and the caller allowed to place calls from that DN, before anything
 * reaches the registry, Asterisk or Kamailio.
 */
@Component
class MakeCallValidator {

	static final String CANNOT_CALL_ITSELF = "Cannot call a DN from itself";

	private final CallsProperties properties;

	private final CallPermissions permissions;

	MakeCallValidator(CallsProperties properties, CallPermissions permissions) {
		this.properties = properties;
		this.permissions = permissions;
	}

	/**
	 * @throws InvalidCallRequestException 400 for a missing or malformed field, 422 for a call from a DN to itself
	 * @throws ErrorResponseException 403 when the caller may not call from that DN
	 */
	MakeCallCommand validate(MakeCallRequest request) {
		String from = require(request.from(), "from");
		String to = require(request.to(), "to");
		if (!Grammar.isDn(from)) {
			throw new InvalidCallRequestException("Invalid from: expected a DN (" + Grammar.DN_RULE + ")");
		}
		if (!Grammar.isDestination(to)) {
			throw new InvalidCallRequestException("Invalid to: expected " + Grammar.DESTINATION_RULE);
		}
		if (to.equals(from)) {
			// Asterisk would ring the agent twice over one registration; Kamailio would bridge a phone to itself.
			throw InvalidCallRequestException.callToSelf(CANNOT_CALL_ITSELF);
		}
		String callerId = request.callerId();
		if (callerId != null && !Grammar.isCallerId(callerId)) {
			throw new InvalidCallRequestException("Invalid caller_id: expected " + Grammar.CALLER_ID_RULE);
		}
		MakeCallCommand command = new MakeCallCommand(from, to, callerId, Boolean.TRUE.equals(request.autoAnswer()),
				ringTimeout(request.timeout()));
		permissions.checkMake(command.from());
		return command;
	}

	private Duration ringTimeout(@Nullable Integer requested) {
		if (requested == null) {
			return properties.defaultRingTimeout();
		}
		long max = properties.maxRingTimeout().toSeconds();
		if (requested < 1 || requested > max) {
			throw new InvalidCallRequestException("Invalid timeout: expected seconds from 1 to " + max);
		}
		return Duration.ofSeconds(requested);
	}

	static String require(@Nullable String value, String name) {
		if (value == null || value.isBlank()) {
			throw InvalidCallRequestException.missing(name);
		}
		return value;
	}

}
