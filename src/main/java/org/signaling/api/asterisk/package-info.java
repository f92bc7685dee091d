/**
 * Asterisk adapter: one long-lived AMI session through asterisk-java, opened in the background at startup, retried
 * until Asterisk answers and kept alive by pings and the library's own reconnects. Its state is reported as the
 * "asterisk" backend health and as Micrometer metrics; the public surface is {@link AsteriskProperties}, everything
 * else is internal to this module.
 */
@ApplicationModule(allowedDependencies = { "call", "shared" })
@NullMarked
package org.signaling.api.asterisk;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
