package org.signaling.api.call.internal;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import com.jayway.jsonpath.JsonPath;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.call.CallOriginator;
import org.signaling.api.call.CallState;
import org.signaling.api.call.HangupIncomplete;
import org.signaling.api.call.LegRelease;
import org.signaling.api.call.MakeCallCommand;
import org.signaling.api.call.PbxEvent;
import org.signaling.api.dn.SipUris;
import org.signaling.api.events.Event;
import org.signaling.api.events.EventTypes;
import org.signaling.api.shared.ChildSpans;
import org.signaling.api.shared.LeadershipChanged;
import org.signaling.api.testsupport.FakePbx;
import org.signaling.api.testsupport.FeatureControllerTest;
import org.signaling.api.testsupport.FeatureSliceTest;
import org.signaling.api.testsupport.FixedLeadership;
import org.signaling.api.testsupport.InMemoryEventLog;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.signaling.api.testsupport.FeatureTestConfiguration.NOW;

/** Every call, from the API or only from Kamailio, is initiated, rings, is answered and ends exactly once. */
// Every feature controller: the call listings and history it checks are served by call/, outside this package.
@FeatureSliceTest
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

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	MeterRegistry meters;

	@Autowired
	CallRepository repository;

	@Autowired
	SipUris sipUris;

	@Autowired
	FixedLeadership leadership;

	@AfterEach
	void leadAgain() {
		leadership.set(true);
	}

	@BeforeEach
	void clean() {
		lifecycle.sync();
		events.clear();
	}

	@Test
	void aCallOnlyKamailioCarriesRingsIsAnsweredAndEndsExactlyOnce() {
		double endedBefore = endedCount("hangup");
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
		assertThat(endedCount("hangup")).as("signaling.calls.ended{end_cause}, once").isEqualTo(endedBefore + 1);
	}

	@Test
	void aCallListedAnsweredBeforeKamailioStampedItsStartIsAnsweredWhenSeen() {
		kamailio.call("k20@pc33", "5002", "5003", CallState.RINGING, NOW, null);
		lifecycle.sync();
		clock.advance(Duration.ofSeconds(3));
		// dlg.list read between the dialog's state change and its start_ts
		kamailio.changeState("k20@pc33", CallState.CONFIRMED, null);
		lifecycle.sync();
		clock.advance(Duration.ofSeconds(10));
		kamailio.hangUp("k20@pc33");
		lifecycle.sync();

		assertThat(events.ofType(EventTypes.CALL_ANSWERED)).singleElement()
			.satisfies((answered) -> assertThat(answered.data())
				.containsEntry("answered_at", NOW.plusSeconds(3).toString()));
		assertThat(events.ofType(EventTypes.CALL_ENDED)).singleElement()
			.satisfies((ended) -> assertThat(ended.data()).containsEntry("duration", 10L));
		assertThat(mvc.get().uri("/api/calls/history?dn=5002")).bodyJson()
			.extractingPath("$.calls[0].answered_at")
			.isEqualTo(Math.toIntExact(NOW.plusSeconds(3).getEpochSecond()));
	}

	private double endedCount(String endCause) {
		Counter counter = meters.find("signaling.calls.ended").tag("end_cause", endCause).counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Test
	void aGenesysInteractionsIdGoesWithItsCallIntoListingsEventsAndTheHistoryAndFindsIt() {
		String uuid = "0ADGKUB0K4BQR4N5N7C2B2LAES00000E";
		kamailio.genesysCall("g1@pc33", "7001", "5002", CallState.CONFIRMED, NOW, NOW, uuid);
		lifecycle.sync();

		assertThat(events.ofType(EventTypes.CALL_INITIATED)).singleElement()
			.satisfies((initiated) -> assertThat(initiated.data()).containsEntry("genesys_call_uuid", uuid));
		assertThat(mvc.get().uri("/api/calls/active")).bodyJson()
			.extractingPath("$.calls[0].genesys_call_uuid")
			.isEqualTo(uuid);
		assertThat(mvc.get().uri("/api/calls/g1@pc33")).bodyJson()
			.extractingPath("$.genesys_call_uuid")
			.isEqualTo(uuid);
		assertThat(mvc.get().uri("/api/calls?genesys_call_uuid=" + uuid)).hasStatusOk().bodyJson()
			.isLenientlyEqualTo("""
					{"calls":[{"call_id":"g1@pc33","origin":"kamailio","from_dn":"7001",
					 "genesys_call_uuid":"%s","ended_at":null,"end_cause":null}]}""".formatted(uuid));

		kamailio.hangUp("g1@pc33");
		lifecycle.sync();

		assertThat(events.ofType(EventTypes.CALL_ENDED)).singleElement()
			.satisfies((ended) -> assertThat(ended.data()).containsEntry("genesys_call_uuid", uuid));
		assertThat(mvc.get().uri("/api/calls?genesys_call_uuid=" + uuid)).bodyJson()
			.isLenientlyEqualTo("{\"calls\":[{\"call_id\":\"g1@pc33\",\"state\":\"ended\",\"end_cause\":\"hangup\"}]}");
		assertThat(mvc.get().uri("/api/calls/history?dn=5002")).bodyJson()
			.extractingPath("$.calls[0].genesys_call_uuid")
			.isEqualTo(uuid);
		assertThat(mvc.get().uri("/api/calls?genesys_call_uuid=0ADGKUB0K4BQR4N5N7C2B2LAES00000F")).bodyJson()
			.isStrictlyEqualTo("{\"calls\":[]}");
		assertThat(mvc.get().uri("/api/calls?genesys_call_uuid=a%0D%0Ab")).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(mvc.get().uri("/api/calls")).hasStatus(HttpStatus.BAD_REQUEST).bodyJson()
			.isLenientlyEqualTo("{\"error\":\"Missing required parameter: genesys_call_uuid\"}");
	}

	@Test
	void aHangupIncompleteThatTheDatabaseRefusesIsAppendedLaterInItsOrder() {
		events.failNextAppendOf(EventTypes.CALL_HANGUP_INCOMPLETE);

		publisher.publishEvent(new HangupIncomplete("h1@pc33", Set.of("5002"),
				List.of(LegRelease.notReleased("callee", "BYE answered 500", null))));

		assertThat(events.ofType(EventTypes.CALL_HANGUP_INCOMPLETE)).as("refused, kept").isEmpty();

		publisher.publishEvent(new HangupIncomplete("h2@pc33", Set.of("5004"),
				List.of(LegRelease.notReleased("caller", "BYE answered 503", null))));

		assertThat(events.ofType(EventTypes.CALL_HANGUP_INCOMPLETE)).extracting(Event::subject)
			.containsExactly("h1@pc33", "h2@pc33");
	}

	@Test
	void aCallEndsExactlyOnceWhenTheDatabaseFailsAsItEnds() {
		kamailio.call("k6@pc33", "5002", "5003", CallState.CONFIRMED, NOW, NOW);
		lifecycle.sync();
		kamailio.hangUp("k6@pc33");
		events.failNextAppendOf(EventTypes.CALL_ENDED);
		double failuresBefore = failures();

		lifecycle.sync();

		// Neither the history row nor call.ended: the change was rolled back, and is still to be made.
		assertThat(events.ofType(EventTypes.CALL_ENDED)).isEmpty();
		assertThat(history.findOpen("k6@pc33")).isPresent();
		assertThat(failures()).isEqualTo(failuresBefore + 1);

		lifecycle.sync();
		lifecycle.sync();

		assertThat(events.ofType(EventTypes.CALL_ENDED)).singleElement()
			.satisfies((ended) -> assertThat(ended.subject()).isEqualTo("k6@pc33"));
		assertThat(history.findOpen("k6@pc33")).isEmpty();
	}

	@Test
	void oneCallThatCannotBeRecordedNeverHoldsUpTheOthers() {
		kamailio.call("k7@pc33", "5002", "5003", CallState.RINGING, NOW, null);
		kamailio.call("k8@pc33", "5004", "5005", CallState.RINGING, NOW.plusSeconds(1), null);
		events.failNextAppendOf(EventTypes.CALL_INITIATED);

		lifecycle.sync();

		// The first call's step failed; the second one was recorded all the same.
		assertThat(typesOf("k7@pc33")).isEmpty();
		assertThat(typesOf("k8@pc33")).containsExactly(EventTypes.CALL_INITIATED, EventTypes.CALL_RINGING);

		lifecycle.sync();

		assertThat(typesOf("k7@pc33")).containsExactly(EventTypes.CALL_INITIATED, EventTypes.CALL_RINGING);
		assertThat(typesOf("k8@pc33")).containsExactly(EventTypes.CALL_INITIATED, EventTypes.CALL_RINGING);
	}

	@Test
	void aFailingLifecycleNeverFailsTheRequestThatPlacedTheCall() {
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp");
		events.failNextAppendOf(EventTypes.CALL_INITIATED);

		var result = mvc.post().uri("/api/call/make").contentType(MediaType.APPLICATION_JSON)
			.content("{\"from\":\"5001\",\"to\":\"1003\"}").exchange();

		assertThat(result).hasStatus(202);
		String callId = result.getResponse().getHeader("Location").substring("/api/calls/".length());
		lifecycle.sync();
		await().untilAsserted(() -> assertThat(typesOf(callId)).containsExactly(EventTypes.CALL_INITIATED));
		// The context is shared with other tests: the call must not outlive this one.
		publisher.publishEvent(new PbxEvent.OriginateFailed(callId, 1, NOW.plusSeconds(1)));
		lifecycle.sync();
		assertThat(typesOf(callId)).containsExactly(EventTypes.CALL_INITIATED, EventTypes.CALL_ENDED);
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

		// The lifecycle records calls on its own thread, not on the AMI event thread.
		await().untilAsserted(() -> assertThat(typesOf(callId)).containsExactly(EventTypes.CALL_INITIATED,
				EventTypes.CALL_ENDED));
		assertThat(events.ofType(EventTypes.CALL_ENDED).get(0).data()).containsEntry("end_cause", "busy")
			.containsEntry("origin", "api");
		assertThat(mvc.get().uri("/api/calls/history?dn=5001")).bodyJson()
			.extractingPath("$.calls[0].end_cause")
			.isEqualTo("busy");
	}

	@Test
	void aCallPlacedAndFailedBetweenTwoSyncsIsStillInitiatedAndEndedOnce() {
		// A registry and a lifecycle of the test's own, which hears of record changes only when told: the call is
		// placed and fails (Asterisk: busy) before the lifecycle ever syncs, so no sync lists it live.
		CallRegistry registryOfItsOwn = new CallRegistry(repository, new FakePbx(), clock, (event) -> {
		}, new SimpleMeterRegistry());
		CallLifecycle lifecycleOfItsOwn = new CallLifecycle(new LiveCalls(kamailio, registryOfItsOwn, sipUris),
				registryOfItsOwn, history, events, (event) -> {
				}, transactions, new SimpleMeterRegistry(), clock, FixedLeadership.leading(), ChildSpans.NONE);
		String callId = "call-0000000000000000000000000000f001";
		registryOfItsOwn.add(CallRecord.initiated(callId, new MakeCallCommand("5001", "1003", null, false,
				Duration.ofSeconds(30)), NOW, CallOriginator.ASTERISK), null);
		registryOfItsOwn.on(new PbxEvent.OriginateFailed(callId, 5, NOW.plusSeconds(1)));
		lifecycleOfItsOwn.onCallRecordChanged(new CallRecordChanged(callId));

		lifecycleOfItsOwn.sync();
		lifecycleOfItsOwn.onCallRecordChanged(new CallRecordChanged(callId));
		lifecycleOfItsOwn.sync();

		assertThat(typesOf(callId)).containsExactly(EventTypes.CALL_INITIATED, EventTypes.CALL_ENDED);
		assertThat(events.ofType(EventTypes.CALL_ENDED).get(0).data()).containsEntry("end_cause", "busy")
			.containsEntry("origin", "api");
		assertThat(events.ofType(EventTypes.CALL_INITIATED).get(0).data()).containsEntry("state", "initiated");
	}

	@Test
	void aCallPlacedThroughAnotherReplicaThatFailedBeforeKamailioListedItIsStillInitiatedAndEndedOnce() {
		// Another replica's registry: this replica's lifecycle (the leader) never hears of the call's record.
		CallRegistry otherReplica = new CallRegistry(repository, new FakePbx(), clock, (event) -> {
		}, new SimpleMeterRegistry());
		String callId = "call-0000000000000000000000000000f002";
		otherReplica.add(CallRecord.initiated(callId, new MakeCallCommand("5001", "1004", null, false,
				Duration.ofSeconds(30)), clock.instant(), CallOriginator.ASTERISK), null);
		otherReplica.on(new PbxEvent.OriginateFailed(callId, 17, clock.instant()));

		lifecycle.lookForUnrecorded();
		lifecycle.sync();
		lifecycle.lookForUnrecorded();
		lifecycle.sync();

		assertThat(typesOf(callId)).containsExactly(EventTypes.CALL_INITIATED, EventTypes.CALL_ENDED);
		assertThat(events.ofType(EventTypes.CALL_ENDED)).filteredOn((event) -> event.subject().equals(callId))
			.singleElement()
			.satisfies((event) -> assertThat(event.data()).containsEntry("origin", "api"));
	}

	@Test
	void aReplicaThatDoesNotLeadRecordsNothingAndItsNextTermEndsWhatEndedMeanwhileOnce() {
		kamailio.call("k12@pc33", "5002", "5003", CallState.CONFIRMED, NOW, NOW);
		lifecycle.sync();
		leadership.set(false);
		lifecycle.onLeadershipChanged(new LeadershipChanged(false));

		kamailio.hangUp("k12@pc33");
		lifecycle.sync();
		assertThat(typesOf("k12@pc33")).containsExactly(EventTypes.CALL_INITIATED, EventTypes.CALL_ANSWERED);

		leadership.set(true);
		lifecycle.onLeadershipChanged(new LeadershipChanged(true));
		lifecycle.sync();
		lifecycle.sync();

		assertThat(typesOf("k12@pc33")).containsExactly(EventTypes.CALL_INITIATED, EventTypes.CALL_ANSWERED,
				EventTypes.CALL_ENDED);
		assertThat(history.findOpen("k12@pc33")).isEmpty();
	}

	@Test
	void afterARestartACallThatEndedWhileTheServiceWasAwayEndsAsReconciled() {
		kamailio.call("k5@pc33", "5002", "5003", CallState.CONFIRMED, NOW, NOW);
		lifecycle.sync();
		kamailio.hangUp("k5@pc33");

		// The service restarts: a new lifecycle finds the call open in the history and gone from Kamailio.
		CallLifecycle restarted = new CallLifecycle(liveCalls, registry, history, events, publisher, transactions,
				new SimpleMeterRegistry(), clock, FixedLeadership.leading(), ChildSpans.NONE);
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
		// DNs of its own: the history is shared with this class's other tests, which run in any order
		for (int i = 0; i < 3; i++) {
			kamailio.call("h" + i + "@pc33", "7104", "7105", CallState.CONFIRMED, NOW, NOW);
		}
		lifecycle.sync();
		kamailio.hangUpAll();
		lifecycle.sync();

		var first = mvc.get().uri("/api/calls/history?dn=7105&limit=2").exchange();
		assertThat(first).bodyJson().extractingPath("$.calls.length()").isEqualTo(2);
		assertThat(first).bodyJson().extractingPath("$.calls[0].direction").isEqualTo("inbound");
		String cursor = JsonPath.read(first.getResponse().getContentAsString(), "$.next_cursor");
		assertThat(mvc.get().uri("/api/calls/history?dn=7105&limit=2&cursor=" + cursor)).bodyJson()
			.isLenientlyEqualTo("{\"calls\":[{\"end_cause\":\"hangup\"}],\"next_cursor\":null}");
		assertThat(mvc.get().uri("/api/calls/history?since=garbage")).hasStatus(400);
	}

	private String made() {
		var result = mvc.post().uri("/api/call/make").contentType(MediaType.APPLICATION_JSON)
			.content("{\"from\":\"5001\",\"to\":\"1003\"}").exchange();
		return result.getResponse().getHeader("Location").substring("/api/calls/".length());
	}

	private double failures() {
		return meters.counter("signaling.calls.sync.failures").count();
	}

	private List<String> typesOf(String callId) {
		return events.all().stream().filter((event) -> event.subject().equals(callId)).map(Event::type).toList();
	}

}
