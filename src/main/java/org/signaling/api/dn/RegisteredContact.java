package org.signaling.api.dn;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One contact binding of a registered DN.
 *
 * @param uri the contact URI the agent registered (where its INVITEs end up)
 * @param transport "udp", "tcp", "tls", "ws", "wss" or "sctp"
 * @param userAgent the User-Agent of the REGISTER, if any
 * @param expiresAt when the binding lapses unless refreshed; {@code null} for a permanent contact
 * @param received the source address Kamailio saw when it differs from the contact (NAT, WebSocket)
 * @param reachable whether it answered lately, when it was read ({@link Reachability})
 */
public record RegisteredContact(String uri, String transport, @Nullable String userAgent, @Nullable Instant expiresAt,
		@Nullable String received, boolean reachable) {

	/** A contact that answers. */
	public RegisteredContact(String uri, String transport, @Nullable String userAgent, @Nullable Instant expiresAt,
			@Nullable String received) {
		this(uri, transport, userAgent, expiresAt, received, true);
	}

}
