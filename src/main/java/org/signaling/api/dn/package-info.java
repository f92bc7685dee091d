/**
 * DNs (directory numbers, the agents' extensions): whether a DN is registered in Kamailio, available or busy, and
 * where to send it an INVITE. {@code GET /api/dn/{dn}} and {@code GET /api/dn/list}. Registrations come through
 * the {@link org.signaling.api.dn.RegistrationView} port, call activity through
 * {@link org.signaling.api.dn.CallActivity}.
 */
@ApplicationModule(allowedDependencies = { "events", "shared" })
@NullMarked
package org.signaling.api.dn;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
