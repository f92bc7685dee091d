/**
 * Calls: how many are active, and which ones a DN is in ({@code GET /api/calls/active},
 * {@code GET /api/calls/dn/{dn}}). Calls come from the live dialog view ({@link org.signaling.api.call.DialogView});
 * call control (make, hang up) plugs in here next.
 */
@ApplicationModule(allowedDependencies = { "dn", "events", "shared" })
@NullMarked
package org.signaling.api.call;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
