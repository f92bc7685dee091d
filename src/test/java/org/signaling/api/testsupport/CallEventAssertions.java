package org.signaling.api.testsupport;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.signaling.api.events.EventLog;
import org.signaling.api.events.EventTypes;
import org.signaling.api.events.StoredEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The promise of the event model, checked on whatever a test did: every call that starts ends exactly once. */
public final class CallEventAssertions {

	private CallEventAssertions() {
	}

	public static void awaitEveryCallEndedExactlyOnce(EventLog log, Duration bound) {
		await().atMost(bound).untilAsserted(() -> {
			Map<String, Integer> initiated = new HashMap<>();
			Map<String, Integer> ended = new HashMap<>();
			for (StoredEvent stored : log.after(0, 1_000_000)) {
				if (stored.event().type().equals(EventTypes.CALL_INITIATED)) {
					initiated.merge(stored.event().subject(), 1, Integer::sum);
				}
				if (stored.event().type().equals(EventTypes.CALL_ENDED)) {
					ended.merge(stored.event().subject(), 1, Integer::sum);
				}
			}
			assertThat(initiated).as("each call is initiated once")
				.allSatisfy((call, count) -> assertThat(count).isOne());
			assertThat(ended).as("each call ends exactly once").allSatisfy((call, count) -> assertThat(count).isOne());
			assertThat(ended.keySet()).as("every call that started has ended").containsAll(initiated.keySet());
			assertThat(initiated.keySet()).as("no end without a start").containsAll(ended.keySet());
		});
	}

}
