/**
 * DNs (directory numbers, the agents' extensions): whether a DN is registered in Kamailio, available or busy, and
 * where to send it an INVITE. {@code GET /api/dn/{dn}}, {@code GET /api/dn/list}, and the flat routing lookups for
 * Genesys ({@code GET /api/routing/dn/{dn}}, {@code GET /api/routing/select}). Registrations come through
 * the {@link org.signaling.api.dn.RegistrationView} port, call activity through
 * {@link org.signaling.api.dn.CallActivity}.
 */
@ApplicationModule(allowedDependencies = { "events", "shared" })
@NullMarked
package org.signaling.api.dn;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
