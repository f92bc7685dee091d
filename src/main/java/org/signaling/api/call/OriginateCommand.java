package org.signaling.api.call;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What to dial. Every field is already validated against a strict grammar (no CR, LF, comma, quote or slash can be
 * in any of them) before a command exists.
 *
 * @param callId our id ({@link CallIds}), used as the agent leg's Uniqueid
 * @param agentDn the agent's DN, rung first
 * @param destination the number or DN to reach once the agent answers
 * @param callerId the number to present to the destination; null for the PBX's default
 * @param ringTimeout how long to ring the agent
 * @param autoAnswer ask the agent's softphone to answer by itself
 */
public record OriginateCommand(String callId, String agentDn, String destination, @Nullable String callerId,
		Duration ringTimeout, boolean autoAnswer) {
}
