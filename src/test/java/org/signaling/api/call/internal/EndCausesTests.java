package org.signaling.api.call.internal;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link EndCauses#ALL} is what {@code signaling.calls.ended} shows at 0 from the start: it misses no cause. */
class EndCausesTests {

	@Test
	void allHoldsEveryCauseTheMappingsGive() {
		// Q.850 causes are 0-127; originate reasons 0-8
		assertThat(IntStream.rangeClosed(0, 127).mapToObj(EndCauses::ofHangupCause))
			.allMatch(EndCauses.ALL::contains);
		assertThat(IntStream.rangeClosed(0, 8).mapToObj(EndCauses::ofOriginateReason))
			.allMatch(EndCauses.ALL::contains);
		assertThat(EndCauses.ALL).doesNotHaveDuplicates();
	}

}
