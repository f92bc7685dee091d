/**
 * Genesys SIP Server reachability ({@code GET /api/genesys/status}). The truth is Kamailio's own OPTIONS probing of
 * the Genesys SIP Server (dispatcher module), read through the {@link org.signaling.api.genesys.DispatcherView} port.
 */
@ApplicationModule(allowedDependencies = { "events", "shared" })
@NullMarked
package org.signaling.api.genesys;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
