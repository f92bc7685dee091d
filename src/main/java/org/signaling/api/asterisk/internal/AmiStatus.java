package org.signaling.api.asterisk.internal;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A consistent snapshot of the AMI session, read from memory.
 *
 * @param state where the session stands
 * @param server {@code host:port}, "" when not configured
 * @param connectedSince when the current session logged in; {@code null} unless {@link AmiConnectionState#CONNECTED}
 * @param lastError the last failure (message only, never a credential); kept after recovery
 * @param lastErrorAt when {@code lastError} happened
 * @param lastEventAt when the last event was received from Asterisk (the library's own connect/disconnect
 * pseudo-events do not count)
 */
public record AmiStatus(AmiConnectionState state, String server, @Nullable Instant connectedSince,
		@Nullable String lastError, @Nullable Instant lastErrorAt, @Nullable Instant lastEventAt) {

	public boolean isConnected() {
		return state == AmiConnectionState.CONNECTED;
	}

}
