package org.signaling.api.call;

import org.jspecify.annotations.Nullable;

/**
 * Whether one party of a hung-up call was released: it answered its BYE (200, or 481/408: that leg is gone already).
 *
 * @param party "caller" or "callee"
 * @param released true once the party answered its BYE so
 * @param reason why it counts as not released ("no answer to its BYE within 5s", "BYE answered 500"); null when
 * released
 */
public record LegRelease(String party, boolean released, @Nullable String reason) {

	public static final String CALLER = "caller";

	public static final String CALLEE = "callee";

}
