package org.signaling.api.call.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code signaling.calls.sync.failures}: one step of one call (its history row and events, its click-to-dial
 * tracking, an Asterisk change to store) that failed and is tried again. One meter for every place that counts it.
 */
public final class CallSyncFailures {

	private CallSyncFailures() {
	}

	static Counter counter(MeterRegistry meters) {
		return Counter.builder("signaling.calls.sync.failures")
			.description("Steps of one call (history and events, click-to-dial tracking, an Asterisk change) that "
					+ "failed and are tried again")
			.register(meters);
	}

}
