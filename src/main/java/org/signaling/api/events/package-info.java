/**
 * The event model: everything the service observes (DN, call, Genesys and backend changes) as events with an id,
 * a type, a subject and a per-subject sequence, kept in a durable log ({@link org.signaling.api.events.EventLog})
 * that Server-Sent Events and webhooks read from.
 */
@ApplicationModule(allowedDependencies = { "shared" })
@NullMarked
package org.signaling.api.events;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
