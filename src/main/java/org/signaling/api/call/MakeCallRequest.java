package org.signaling.api.call;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /api/call/make}: the seed's {@code from} and {@code to}, plus optional fields. Everything may be
 * missing or wrong in the JSON; {@link CallControlService} checks it and answers 400 with what is wrong.
 *
 * @param from the agent's DN, which must be registered
 * @param to a number ({@code +}, digits, {@code *}, {@code #}; 1-32) or a DN
 * @param callerId the number to present to {@code to}
 * @param autoAnswer ask the agent's softphone to answer by itself
 * @param timeout seconds to ring the agent
 */
public record MakeCallRequest(@Nullable String from, @Nullable String to,
		@JsonProperty("caller_id") @Nullable String callerId, @JsonProperty("auto_answer") @Nullable Boolean autoAnswer,
		@Nullable Integer timeout) {
}
