/**
 * Adapter to Kamailio's JSON-RPC (jsonrpcs over HTTP). It keeps a live in-memory view of registrations
 * ({@code ul.dump}), dialogs ({@code dlg.list}) and dispatcher probes ({@code dispatcher.list}), refreshed on a
 * schedule, and serves the dn, call and genesys ports from it: however many clients poll, Kamailio sees one
 * refresh per interval.
 */
@ApplicationModule(allowedDependencies = { "call", "dn", "genesys", "shared" })
@NullMarked
package org.signaling.api.kamailio;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
