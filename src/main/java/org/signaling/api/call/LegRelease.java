package org.signaling.api.call;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Whether one party of a hung-up call was released: it answered its BYE (200, or 481/408: that leg is gone already).
 *
 * @param party "caller" or "callee"
 * @param released true once the party answered its BYE so
 * @param reason why it counts as not released ("no answer to its BYE within 5000 ms", "BYE answered 500"); null when
 * released
 * @param retryingUntil for a party not released: until when a new BYE is sent to it now and then (the dialog's own
 * timeout); null when released, or when it is not retried (its dialog held no usable contact)
 */
public record LegRelease(String party, boolean released, @Nullable String reason,
		@JsonProperty("retrying_until") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant retryingUntil) {

	public static final String CALLER = "caller";

	public static final String CALLEE = "callee";

	public static LegRelease released(String party) {
		return new LegRelease(party, true, null, null);
	}

	public static LegRelease notReleased(String party, String reason, @Nullable Instant retryingUntil) {
		return new LegRelease(party, false, reason, retryingUntil);
	}

}
