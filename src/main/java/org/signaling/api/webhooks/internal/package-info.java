/**
 * How webhooks are kept and sent: the subscription and outbox tables, the dispatcher that turns events into
 * deliveries and attempts them, the HTTP sender and the signature.
 */
@NullMarked
package org.signaling.api.webhooks.internal;

import org.jspecify.annotations.NullMarked;
