package org.signaling.api.call.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.signaling.api.call.CallPermissions;
import org.signaling.api.call.CallsProperties;
import org.signaling.api.call.InvalidCallRequestException;
import org.signaling.api.call.MakeCallCommand;
import org.springframework.stereotype.Component;

/**
 * The Idempotency-Key of {@code POST /api/call/make}: the same key, within the replay window and for the same request,
 * answers the call it placed and dials nothing; for a different request it is refused (422). A key is scoped to the
 * caller that sent it and kept as a digest, with a digest of the request that placed the call.
 */
@Component
public class IdempotencyKeys {

	/** Visible ASCII only: the key is stored and compared, never sent anywhere. */
	private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,128}");

	private final CallRepository repository;

	private final CallPermissions permissions;

	private final CallsProperties properties;

	private final Clock clock;

	IdempotencyKeys(CallRepository repository, CallPermissions permissions, CallsProperties properties, Clock clock) {
		this.repository = repository;
		this.permissions = permissions;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * The caller's key for this request, or null when the request carries none.
	 * @throws InvalidCallRequestException 400 for a malformed key
	 */
	public @Nullable Key of(@Nullable String header, MakeCallCommand command) {
		return key(header, "", command.fingerprint());
	}

	/**
	 * The caller's key for a call control request ({@link ControlRequests}), kept apart from its keys of
	 * {@code POST /api/call/make}; null when the request carries none.
	 * @param fingerprint what the request asks, so the same key with another request is refused
	 * @throws InvalidCallRequestException 400 for a malformed key
	 */
	@Nullable Key ofControl(@Nullable String header, String fingerprint) {
		return key(header, "control\n", fingerprint);
	}

	/** One client's key never replays another client's request, nor a make a control request (scope). */
	private @Nullable Key key(@Nullable String header, String scope, String fingerprint) {
		if (header == null) {
			return null;
		}
		if (!KEY.matcher(header).matches()) {
			throw new InvalidCallRequestException("Invalid Idempotency-Key: expected 1-128 visible ASCII characters");
		}
		return new Key(digest(permissions.callerId() + "\n" + scope + header), digest(fingerprint));
	}

	/** How long a key replays its answer. */
	Duration window() {
		return properties.idempotencyWindow();
	}

	/**
	 * The call an earlier request with this key placed, while the replay window holds; a key past its window is
	 * released, and the request dials anew.
	 * @throws InvalidCallRequestException 422 when the key placed a different request
	 */
	public Optional<CallRecord> replay(Key key) {
		Optional<CallRepository.Keyed> previous = repository.findByIdempotencyKey(key.value());
		if (previous.isEmpty()) {
			return Optional.empty();
		}
		CallRecord call = previous.get().call();
		if (call.createdAt().isBefore(clock.instant().minus(properties.idempotencyWindow()))) {
			repository.releaseIdempotencyKey(call.callId());
			return Optional.empty();
		}
		if (!key.requestDigest().equals(previous.get().requestDigest())) {
			throw InvalidCallRequestException.idempotencyConflict(
					"Idempotency-Key already used for a different request");
		}
		return Optional.of(call);
	}

	/** Frees a call's key: its request was refused, and a retry with the same key must be able to dial. */
	public void release(String callId) {
		repository.releaseIdempotencyKey(callId);
	}

	/** Frees the keys of calls placed before the replay window that ends now; returns how many. */
	int releaseExpired(Instant now) {
		return repository.releaseIdempotencyKeysBefore(now.minus(properties.idempotencyWindow()));
	}

	private static String digest(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A caller's key, as stored.
	 * @param value the digest of the caller and the key it sent
	 * @param requestDigest the digest of the request sent with it ({@link MakeCallCommand#fingerprint()})
	 */
	public record Key(String value, String requestDigest) {
	}

}
