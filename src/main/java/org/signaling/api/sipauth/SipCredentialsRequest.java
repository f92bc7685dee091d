package org.signaling.api.sipauth;

import org.jspecify.annotations.Nullable;

/**
 * {@code POST /api/agent/sip-credentials}'s optional body.
 *
 * @param dn the agent's DN: required with an API key (or a token without the DN claim); an agent token may leave it
 * out, or name its own DN
 */
public record SipCredentialsRequest(@Nullable String dn) {
}
