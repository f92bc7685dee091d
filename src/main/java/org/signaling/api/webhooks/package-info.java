/**
 * Webhooks: subscriptions (over {@code /api/webhooks} or from {@code signaling.webhooks.subscriptions}) to the
 * events of the {@link org.signaling.api.events.EventLog}, each delivered as a signed JSON POST from a durable
 * outbox, at least once, in order per subject, with retries and a dead-letter state.
 */
@ApplicationModule(allowedDependencies = { "dn", "events" })
@NullMarked
package org.signaling.api.webhooks;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
