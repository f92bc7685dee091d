package org.signaling.api.call;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.events.Event;
import org.signaling.api.events.EventTypes;
import org.signaling.api.testsupport.FeatureControllerTest;
import org.signaling.api.testsupport.FeatureSliceTest;
import org.signaling.api.testsupport.InMemoryEventLog;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.signaling.api.testsupport.FeatureTestConfiguration.NOW;

/** Every call, from the API or only from Kamailio, is initiated, rings, is answered and ends exactly once. */
@FeatureSliceTest(CallQueryController.class)
class CallLifecycleTests extends FeatureControllerTest {

	@Autowired
	CallLifecycle lifecycle;

	@Autowired
	InMemoryEventLog events;

	@Autowired
	ApplicationEventPublisher publisher;

	@Autowired
	LiveCalls liveCalls;

	@Autowired
	CallRegistry registry;

	@Autowired
	CallHistoryRepository history;

	@BeforeEach
	void clean() {
		lifecycle.sync();
		events.clear();
	}

	@Test
	void aCallOnlyKamailioCarriesRingsIsAnsweredAndEndsExactlyOnce() {
		kamailio.call("k1@pc33", "5002", "5003", CallState.RINGING, NOW, null);
		lifecycle.sync();
		kamailio.changeState("k1@pc33", CallState.CONFIRMED, NOW.plusSeconds(4));
		lifecycle.sync();
		clock.advance(Duration.ofSeconds(64));
		kamailio.hangUp("k1@pc33");
		lifecycle.sync();
		lifecycle.sync();

		assertThat(typesOf("k1@pc33")).containsExactly(EventTypes.CALL_INITIATED, EventTypes.CALL_RINGING,
				EventTypes.CALL_ANSWERED, EventTypes.CALL_ENDED);
		Event ended = events.ofType(EventTypes.CALL_ENDED).get(0);
		assertThat(ended.data()).containsEntry("end_cause", "hangup")
			.containsEntry("duration", 60L)
			.containsEntry("origin", "kamailio");
		assertThat(ended.sequence()).isEqualTo(4);
	}

	@Test
	void aCallFirstSeenAnsweredIsStillInitiatedFirst() {
		kamailio.call("k2@pc33", "5002", "5003", CallState.CONFIRMED, NOW, NOW);

		lifecycle.sync();

		assertThat(typesOf("k2@pc33")).containsExactly(EventTypes.CALL_INITIATED, EventTypes.CALL_ANSWERED);
	}

	@Test
	void nothingIsConcludedWhileKamailioCannotBeAsked() {
		kamailio.call("k3@pc33", "5002", "5003", CallState.CONFIRMED, NOW, NOW);
		lifecycle.sync();
		kamailio.unreachable();

		lifecycle.sync();

		assertThat(events.ofType(EventTypes.CALL_ENDED)).isEmpty();
		kamailio.reachable();
	}

	@Test
	void aDialogLingeringAfterItsCallEndedIsNotANewCall() {
		kamailio.call("k4@pc33", "5002", "5003", CallState.CONFIRMED, NOW, NOW);
		lifecycle.sync();
		kamailio.hangUp("k4@pc33");
		lifecycle.sync();
		kamailio.call("k4@pc33", "5002", "5003", CallState.CONFIRMED, NOW, NOW);

		lifecycle.sync();

		assertThat(typesOf("k4@pc33")).containsExactly(EventTypes.CALL_INITIATED, EventTypes.CALL_ANSWERED,
				EventTypes.CALL_ENDED);
	}

	@Test
	void aMadeCallEndsWithTheCauseAsteriskGave() {
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp");
		String callId = made();

		publisher.publishEvent(new PbxEvent.OriginateFailed(callId, 5, NOW.plusSeconds(3)));

		assertThat(typesOf(callId)).containsExactly(EventTypes.CALL_INITIATED, EventTypes.CALL_ENDED);
		assertThat(events.ofType(EventTypes.CALL_ENDED).get(0).data()).containsEntry("end_cause", "busy")
			.containsEntry("origin", "api");
		assertThat(mvc.get().uri("/api/calls/history?dn=5001")).bodyJson()
			.extractingPath("$.calls[0].end_cause")
			.isEqualTo("busy");
	}

	@Test
	void afterARestartACallThatEndedWhileTheServiceWasAwayEndsAsReconciled() {
		kamailio.call("k5@pc33", "5002", "5003", CallState.CONFIRMED, NOW, NOW);
		lifecycle.sync();
		kamailio.hangUp("k5@pc33");

		// The service restarts: a new lifecycle finds the call open in the history and gone from Kamailio.
		CallLifecycle restarted = new CallLifecycle(liveCalls, registry, history, events, publisher, clock);
		restarted.sync();

		List<Event> ended = events.ofType(EventTypes.CALL_ENDED);
		assertThat(ended).singleElement().satisfies((event) -> {
			assertThat(event.subject()).isEqualTo("k5@pc33");
			assertThat(event.data()).containsEntry("end_cause", "reconciled");
		});
		lifecycle.sync();
		assertThat(events.ofType(EventTypes.CALL_ENDED)).hasSize(1);
	}

	@Test
	void historyIsFilteredAndPaged() throws Exception {
		for (int i = 0; i < 3; i++) {
			kamailio.call("h" + i + "@pc33", "5004", "5005", CallState.CONFIRMED, NOW, NOW);
		}
		lifecycle.sync();
		kamailio.hangUpAll();
		lifecycle.sync();

		var first = mvc.get().uri("/api/calls/history?dn=5005&limit=2").exchange();
		assertThat(first).bodyJson().extractingPath("$.calls.length()").isEqualTo(2);
		assertThat(first).bodyJson().extractingPath("$.calls[0].direction").isEqualTo("inbound");
		String cursor = com.jayway.jsonpath.JsonPath.read(first.getResponse().getContentAsString(), "$.next_cursor");
		assertThat(mvc.get().uri("/api/calls/history?dn=5005&limit=2&cursor=" + cursor)).bodyJson()
			.isLenientlyEqualTo("{\"calls\":[{\"end_cause\":\"hangup\"}],\"next_cursor\":null}");
		assertThat(mvc.get().uri("/api/calls/history?since=garbage")).hasStatus(400);
	}

	private String made() {
		var result = mvc.post().uri("/api/call/make").contentType(MediaType.APPLICATION_JSON)
			.content("{\"from\":\"5001\",\"to\":\"1003\"}").exchange();
		return result.getResponse().getHeader("Location").substring("/api/calls/".length());
	}

	private List<String> typesOf(String callId) {
		return events.all().stream().filter((event) -> event.subject().equals(callId)).map(Event::type).toList();
	}

}
