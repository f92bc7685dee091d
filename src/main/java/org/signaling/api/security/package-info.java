/**
 * Access control, on by default with no switch to turn it off: API keys (stored as SHA-256 hashes) and JWTs
 * (OAuth 2.0 resource server), scopes, agent tokens bound to their DN, rate limits, CORS, and the audit log of
 * call control. The rules live in one filter chain ({@code internal.SecurityConfiguration}).
 */
@ApplicationModule(allowedDependencies = { "call", "dn", "shared" })
@NullMarked
package org.signaling.api.security;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
