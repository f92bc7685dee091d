/**
 * Agents' SIP credentials ({@code POST /api/agent/sip-credentials}): short-lived username and password pairs that
 * Kamailio's {@code auth_ephemeral} module checks with the secret it shares with the service
 * ({@code SIP_AUTH_SECRET}), so that only an agent the API vouches for registers as its DN. Nothing is stored: the
 * password is an HMAC of the username, which carries the DN and the expiry.
 */
@ApplicationModule(allowedDependencies = { "dn", "pages", "shared" })
@NullMarked
package org.signaling.api.sipauth;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
