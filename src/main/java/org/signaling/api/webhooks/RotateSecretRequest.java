package org.signaling.api.webhooks;

import org.jspecify.annotations.Nullable;

/**
 * {@code POST /api/webhooks/{id}/rotate-secret} (the body is optional).
 *
 * @param secret the new HMAC key; absent = generated
 */
public record RotateSecretRequest(@Nullable String secret) {
}
