package org.signaling.api.call;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.signaling.api.call.internal.CallReconciler;
import org.signaling.api.call.internal.CallRecord;
import org.signaling.api.call.internal.CallRegistry;
import org.signaling.api.events.EventLog;
import org.signaling.api.testsupport.AuthenticatedRequests;
import org.signaling.api.testsupport.FakeBackends;
import org.signaling.api.testsupport.FakeDialogControl;
import org.signaling.api.testsupport.FakePbx;
import org.signaling.api.testsupport.FakeSignalingState;
import org.signaling.api.testsupport.MutableClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Call control through the whole service (real registry on an H2 database, real validation and error contract)
 * with Asterisk and Kamailio replaced by fakes; the same against the AMI double and a real Kamailio is in the ITs.
 */
@SpringBootTest(properties = { "signaling.kamailio.rpc-url=http://127.0.0.1:9/RPC",
		"signaling.kamailio.sip-domain=192.168.210.54", "signaling.genesys.server=192.168.210.81:5060",
		"signaling.dn.directory=5001-5005", "signaling.calls.reconcile-interval=1h" })
@AutoConfigureMockMvc
@Import({ AuthenticatedRequests.class, FakeBackends.class })
class CallControlTests {

	static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

	@Autowired
	MockMvcTester mvc;

	@Autowired
	FakeSignalingState kamailio;

	@Autowired
	FakePbx asterisk;

	@Autowired
	FakeDialogControl dialogs;

	@Autowired
	MutableClock clock;

	@Autowired
	ApplicationEventPublisher events;

	@Autowired
	CallReconciler reconciler;

	@Autowired
	CallRegistry registry;

	@Autowired
	EventLog eventLog;

	final JsonMapper json = JsonMapper.builder().build();

	@BeforeEach
	void setUp() {
		clock.set(NOW);
		kamailio.reset();
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp").register("5002", "sip:5002@10.1.1.6:5060", "udp");
		asterisk.reset();
		dialogs.reset();
		registry.live().forEach((call) -> registry.end(call.callId(), "test_reset"));
	}

	@Test
	void makeIsAcceptedWithTheSeedsShapeAndALocation() {
		MvcTestResult result = make("{\"from\":\"5001\",\"to\":\"1003\"}");

		assertThat(result).hasStatus(HttpStatus.ACCEPTED)
			.bodyJson()
			.isLenientlyEqualTo("{\"status\":\"initiated\",\"from\":\"5001\",\"to\":\"1003\"}");
		String callId = callIdOf(result);
		assertThat(callId).matches("call-[0-9a-f]{32}");
		assertThat(result).hasHeader("Location", "/api/calls/" + callId);
		assertThat(asterisk.originated).singleElement().satisfies((command) -> {
			assertThat(command.callId()).isEqualTo(callId);
			assertThat(command.agentDn()).isEqualTo("5001");
			assertThat(command.destination()).isEqualTo("1003");
			assertThat(command.ringTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(command.autoAnswer()).isFalse();
		});
	}

	@Test
	void makePassesTheOptionalFields() {
		make("{\"from\":\"5001\",\"to\":\"+15551234567\",\"caller_id\":\"+18005550100\",\"auto_answer\":true,"
				+ "\"timeout\":20}");

		assertThat(asterisk.originated).singleElement().satisfies((command) -> {
			assertThat(command.callerId()).isEqualTo("+18005550100");
			assertThat(command.autoAnswer()).isTrue();
			assertThat(command.ringTimeout()).isEqualTo(Duration.ofSeconds(20));
		});
	}

	@Test
	void aDnIsADialableDestinationToo() {
		assertThat(make("{\"from\":\"5001\",\"to\":\"5002\"}")).hasStatus(HttpStatus.ACCEPTED);
	}

	@Test
	void aCallFromADnToItselfIs422AndReachesNoPbx() {
		assertError(make("{\"from\":\"5001\",\"to\":\"5001\"}"), HttpStatus.UNPROCESSABLE_CONTENT,
				"Cannot call a DN from itself");

		assertThat(asterisk.originated).isEmpty();
		assertThat(mvc.get().uri("/api/calls/active")).hasStatusOk().bodyJson().extractingPath("$.active_calls")
			.isEqualTo(0);
	}

	@ParameterizedTest
	@ValueSource(strings = { "123456789012345678901234567890123", "1234567890123456789012345678901234567890",
			"+12345678901234567890123456789012", "agent.5001.with.a.long.name.here.x" })
	void aDestinationOfMoreThan32CharactersIs400AndReachesNoPbx(String to) {
		assertError(make("{\"from\":\"5001\",\"to\":\"" + to + "\"}"), HttpStatus.BAD_REQUEST,
				"Invalid to: expected a number (digits with an optional leading +, * and #) or a DN, 1-32 characters");

		assertThat(asterisk.originated).isEmpty();
	}

	@Test
	void aDestinationOf32DigitsIsDialed() {
		assertThat(make("{\"from\":\"5001\",\"to\":\"12345678901234567890123456789012\"}"))
			.hasStatus(HttpStatus.ACCEPTED);
		assertThat(asterisk.originated).hasSize(1);
	}

	@Test
	void aStoredCallThatNamesTheSameDnTwiceNeverTakesTheReadsDown() {
		// Such a call could be placed before the rule above existed, and comes back from the database after a restart.
		registry.add(CallRecord.initiated(CallIds.newCallId(),
				new MakeCallCommand("5001", "5001", null, false, Duration.ofSeconds(30)), NOW,
				CallOriginator.ASTERISK), null);

		for (String read : new String[] { "/api/calls/active", "/api/dn/list", "/api/dn/5001", "/api/calls/dn/5001" }) {
			assertThat(mvc.get().uri(read)).as(read).hasStatusOk();
		}
		assertThat(mvc.get().uri("/api/dn/5001")).bodyJson().extractingPath("$.status").isEqualTo("busy");
	}

	@Test
	void missingFieldsAre400InTheSeedsWords() {
		assertError(make("{\"to\":\"1003\"}"), HttpStatus.BAD_REQUEST, "Missing required parameter: from");
		assertError(make("{\"from\":\"5001\"}"), HttpStatus.BAD_REQUEST, "Missing required parameter: to");
		assertError(make("{\"from\":\"\",\"to\":\"1003\"}"), HttpStatus.BAD_REQUEST,
				"Missing required parameter: from");
		assertThat(asterisk.originated).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"from\":\"5001\\r\\nAction: Originate\",\"to\":\"1003\"}",
			"{\"from\":\"5001\",\"to\":\"1003\\nApplication: System\"}", "{\"from\":\"5001\",\"to\":\"1003,X=1\"}",
			"{\"from\":\"5001\",\"to\":\"/.*/\"}", "{\"from\":\"50 01\",\"to\":\"1003\"}",
			"{\"from\":\"5001\",\"to\":\"123456789012345678901234567890123456789012345678901234567890123456789\"}",
			"{\"from\":\"5001\",\"to\":\"1003\",\"caller_id\":\"\\\"Evil\\\" <1>\"}",
			"{\"from\":\"5001\",\"to\":\"1003\",\"timeout\":0}",
			"{\"from\":\"5001\",\"to\":\"1003\",\"timeout\":3600}" })
	void hostileOrMalformedValuesAre400AndNeverReachAsterisk(String body) {
		MvcTestResult result = make(body);

		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST).bodyJson().extractingPath("$.error").asString()
			.startsWith("Invalid");
		assertThat(asterisk.originated).isEmpty();
	}

	@Test
	void malformedJsonIs400() {
		assertError(make("{\"from\":"), HttpStatus.BAD_REQUEST, "Malformed JSON request body");
		assertError(make("{\"from\":\"5001\",\"to\":\"1003\",\"timeout\":\"soon\"}"), HttpStatus.BAD_REQUEST,
				"Malformed JSON request body");
	}

	@Test
	void aBodyThatIsNotJsonIs415() {
		var result = mvc.post().uri("/api/call/make").contentType(MediaType.TEXT_PLAIN).content("from=5001&to=1003");

		assertError(result.exchange(), HttpStatus.UNSUPPORTED_MEDIA_TYPE,
				"Unsupported media type: use application/json");
	}

	@Test
	void anOversizedBodyIs413() {
		String big = "{\"from\":\"5001\",\"to\":\"1003\",\"pad\":\"" + "x".repeat(20_000) + "\"}";

		assertThat(make(big)).hasStatus(HttpStatus.CONTENT_TOO_LARGE);
		assertThat(asterisk.originated).isEmpty();
	}

	@Test
	void anAgentThatIsNotRegisteredIs404() {
		assertError(make("{\"from\":\"5003\",\"to\":\"1003\"}"), HttpStatus.NOT_FOUND, "DN not found: 5003");
		assertThat(asterisk.originated).isEmpty();
	}

	@Test
	void kamailioUnreachableIs503() {
		kamailio.unreachable();

		assertError(make("{\"from\":\"5001\",\"to\":\"1003\"}"), HttpStatus.SERVICE_UNAVAILABLE,
				"Kamailio unreachable");
	}

	@Test
	void asteriskUnreachableIs503AndTheSameKeyDialsOnceItIsBack() {
		asterisk.unreachable();

		assertError(make("{\"from\":\"5001\",\"to\":\"1003\"}", "retry-1"), HttpStatus.SERVICE_UNAVAILABLE,
				"Asterisk unreachable");

		asterisk.reachable();
		assertThat(make("{\"from\":\"5001\",\"to\":\"1003\"}", "retry-1")).hasStatus(HttpStatus.ACCEPTED);
		assertThat(asterisk.originated).hasSize(1);
	}

	@Test
	void asteriskRefusingTheCallIs502WithItsReason() {
		asterisk.reject("Extension does not exist.");

		assertError(make("{\"from\":\"5001\",\"to\":\"1003\"}"), HttpStatus.BAD_GATEWAY,
				"Asterisk rejected the call: Extension does not exist.");
	}

	@Test
	void aRetryWithTheSameIdempotencyKeyReturnsTheSameCallAndDialsNothing() {
		String first = callIdOf(make("{\"from\":\"5001\",\"to\":\"1003\"}", "wwe-7f3a"));

		MvcTestResult retry = make("{\"from\":\"5001\",\"to\":\"1003\"}", "wwe-7f3a");

		assertThat(retry).hasStatus(HttpStatus.ACCEPTED).hasHeader("Idempotent-Replayed", "true");
		assertThat(callIdOf(retry)).isEqualTo(first);
		assertThat(asterisk.originated).hasSize(1);
	}

	@Test
	void anIdempotencyKeyReusedForAnotherCallIs422() {
		make("{\"from\":\"5001\",\"to\":\"1003\"}", "wwe-1");

		assertError(make("{\"from\":\"5001\",\"to\":\"1004\"}", "wwe-1"), HttpStatus.UNPROCESSABLE_CONTENT,
				"Idempotency-Key already used for a different request");
		assertThat(asterisk.originated).hasSize(1);
	}

	@Test
	void anIdempotencyKeyOlderThan24HoursDialsAgain() {
		make("{\"from\":\"5001\",\"to\":\"1003\"}", "wwe-old");
		clock.advance(Duration.ofHours(24).plusMinutes(1));

		assertThat(make("{\"from\":\"5001\",\"to\":\"1003\"}", "wwe-old").getResponse()
			.getHeader("Idempotent-Replayed"))
			.isNull();
		assertThat(asterisk.originated).hasSize(2);
	}

	@Test
	void aMadeCallIsListedAtOnceAndItsAgentIsBusy() {
		String callId = callIdOf(make("{\"from\":\"5001\",\"to\":\"1003\"}"));

		assertThat(mvc.get().uri("/api/calls/dn/5001")).bodyJson().isLenientlyEqualTo("""
				{"dn":"5001","count":1,"active_calls":[{"call_id":"%s","from":"sip:5001@192.168.210.54",
				 "to":"sip:1003@192.168.210.54","state":"initiated","duration":0,"direction":"outbound"}]}"""
			.formatted(callId));
		assertThat(mvc.get().uri("/api/calls/active")).bodyJson().isLenientlyEqualTo(
				"{\"active_calls\":1,\"by_state\":{\"initiated\":1}}");
		assertThat(mvc.get().uri("/api/dn/5001")).bodyJson().extractingPath("$.status").isEqualTo("busy");
	}

	@Test
	void theCallFollowsAsterisksEventsToTheEnd() {
		String callId = callIdOf(make("{\"from\":\"5001\",\"to\":\"1003\"}"));

		events.publishEvent(new PbxEvent.LegCreated(callId, "PJSIP/kamailio-00000001", callId, callId, NOW));
		events.publishEvent(new PbxEvent.LegRinging(callId, "PJSIP/kamailio-00000001", callId, NOW));
		assertThat(state(callId)).isEqualTo("ringing");
		events.publishEvent(new PbxEvent.LegAnswered(callId, "PJSIP/kamailio-00000001", callId, NOW.plusSeconds(3)));
		assertThat(state(callId)).as("agent answered, customer not yet").isEqualTo("ringing");
		events.publishEvent(new PbxEvent.LegCreated(callId, "PJSIP/genesys-00000002", "1795670000.2", callId, NOW));
		events.publishEvent(new PbxEvent.LegBridged(callId, "PJSIP/genesys-00000002", "1795670000.2", 2,
				NOW.plusSeconds(8)));
		assertThat(state(callId)).isEqualTo("confirmed");
		clock.set(NOW.plusSeconds(68));
		kamailio.apiCallDialog("sip-leg-1@10.0.0.54", callId, "1003", "5001", CallState.CONFIRMED,
				NOW.plusSeconds(2));

		assertThat(mvc.get().uri("/api/calls/" + callId)).hasStatusOk().bodyJson().isLenientlyEqualTo("""
				{"call_id":"%s","origin":"api","originator":"asterisk","state":"confirmed","from_dn":"5001",
				 "sip_call_ids":["sip-leg-1@10.0.0.54"],"kamailio_dialog_id":"200:1",
				 "asterisk":{"uniqueid":"%s","linkedid":"%s","channels":[
				   {"name":"PJSIP/kamailio-00000001","uniqueid":"%s"},\
				{"name":"PJSIP/genesys-00000002","uniqueid":"1795670000.2"}]},
				 "answered_at":%d,"ended_at":null,"duration":60}"""
			.formatted(callId, callId, callId, callId, NOW.plusSeconds(8).getEpochSecond()));

		events.publishEvent(new PbxEvent.LegHungUp(callId, "PJSIP/kamailio-00000001", callId, 16, "Normal Clearing",
				NOW.plusSeconds(70)));
		kamailio.hangUpAll();

		assertThat(mvc.get().uri("/api/calls/" + callId)).bodyJson().isLenientlyEqualTo("""
				{"state":"ended","end_cause":"normal_clearing","hangup_cause":16,"ended_at":%d,"duration":62}"""
			.formatted(NOW.plusSeconds(70).getEpochSecond()));
		assertThat(mvc.get().uri("/api/calls/dn/5001")).bodyJson().extractingPath("$.count").isEqualTo(0);
	}

	@Test
	void aBusyAgentFailsTheCallWithItsCause() {
		String callId = callIdOf(make("{\"from\":\"5001\",\"to\":\"1003\"}"));

		events.publishEvent(new PbxEvent.OriginateFailed(callId, 5, NOW.plusSeconds(1)));

		assertThat(mvc.get().uri("/api/calls/" + callId)).bodyJson().isLenientlyEqualTo(
				"{\"state\":\"failed\",\"end_cause\":\"busy\",\"answered_at\":null}");
	}

	@Test
	void hangupOfAMadeCallEndsEveryLegInAsterisk() {
		String callId = callIdOf(make("{\"from\":\"5001\",\"to\":\"1003\"}"));
		events.publishEvent(new PbxEvent.LegCreated(callId, "PJSIP/kamailio-00000001", callId, callId, NOW));
		events.publishEvent(new PbxEvent.LegCreated(callId, "PJSIP/genesys-00000002", "1795670000.2", callId, NOW));

		assertThat(hangup(callId)).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"status\":\"terminated\",\"call_id\":\"%s\"}".formatted(callId));

		assertThat(asterisk.hungUp).containsExactly(callId, "1795670000.2");
		assertThat(mvc.get().uri("/api/calls/" + callId)).bodyJson().isLenientlyEqualTo(
				"{\"state\":\"failed\",\"end_cause\":\"hangup_api\"}");
		assertThat(hangup(callId)).as("hanging up again is harmless").hasStatusOk();
	}

	@Test
	void hangupBeforeAsteriskCreatedTheFirstLegEndsThatLegWhenItAppears() {
		String callId = callIdOf(make("{\"from\":\"5001\",\"to\":\"1003\"}"));

		assertThat(hangup(callId)).hasStatusOk();
		events.publishEvent(new PbxEvent.LegCreated(callId, "PJSIP/kamailio-00000009", callId, callId, NOW));

		assertThat(asterisk.hungUp).containsExactly(callId, callId);
	}

	@Test
	void hangupOfACallOnlyKamailioCarriesEndsItsDialog() {
		kamailio.call("a84b4c76e66710@pc33.example.com", "5002", "5003", CallState.CONFIRMED, NOW, NOW);
		dialogs.dialogs.add("a84b4c76e66710@pc33.example.com");

		assertThat(hangup("a84b4c76e66710@pc33.example.com")).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"status\":\"terminated\",\"call_id\":\"a84b4c76e66710@pc33.example.com\"}");
		assertThat(dialogs.ended).containsExactly("a84b4c76e66710@pc33.example.com");
	}

	@Test
	void aHangupSaysWhichPartyDidNotAnswerItsBye() {
		kamailio.call("deaf-callee@pc33.example.com", "5002", "5003", CallState.CONFIRMED, NOW, NOW);
		dialogs.dialogs.add("deaf-callee@pc33.example.com");
		dialogs.deafParty = "callee";

		assertThat(hangup("deaf-callee@pc33.example.com")).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("""
					{"status":"terminated","call_id":"deaf-callee@pc33.example.com",
					 "legs":[{"party":"callee","released":false,"reason":"no answer to its BYE",
					          "retrying_until":"2026-11-26T11:00:00Z"}]}""");
	}

	@Test
	void whenAsteriskIsAwayAMadeCallIsEndedThroughKamailio() {
		String callId = callIdOf(make("{\"from\":\"5001\",\"to\":\"1003\"}"));
		kamailio.apiCallDialog("sip-leg-9@10.0.0.54", callId, "1003", "5001", CallState.CONFIRMED, NOW);
		dialogs.dialogs.add("sip-leg-9@10.0.0.54");
		asterisk.unreachable();

		assertThat(hangup(callId)).hasStatusOk();
		assertThat(dialogs.ended).containsExactly("sip-leg-9@10.0.0.54");
	}

	@Test
	void whenAsteriskIsAwayAndAPartyOfTheDialogDoesNotAnswerItsByeTheAnswerSaysSo() {
		String callId = callIdOf(make("{\"from\":\"5001\",\"to\":\"1003\"}"));
		kamailio.apiCallDialog("sip-leg-10@10.0.0.54", callId, "1003", "5001", CallState.CONFIRMED, NOW);
		dialogs.dialogs.add("sip-leg-10@10.0.0.54");
		dialogs.deafParty = "caller";
		asterisk.unreachable();

		assertThat(hangup(callId)).hasStatusOk().bodyJson().isStrictlyEqualTo("""
				{"status":"terminated","call_id":"%s",
				 "legs":[{"party":"caller","released":false,"reason":"no answer to its BYE",
				          "retrying_until":"2026-11-26T11:00:00Z"}]}""".formatted(callId));
	}

	@Test
	void aPartyNotReleasedBecomesACallHangupIncompleteEvent() {
		long before = eventLog.lastPosition();

		events.publishEvent(new HangupIncomplete("deaf@pc33", Set.of("5003", "5002"), List.of(LegRelease.notReleased(
				"callee", "BYE answered 500", Instant.parse("2026-11-26T11:00:00Z")))));

		assertThat(eventLog.after(before, 100)).filteredOn((event) -> event.event().subject().equals("deaf@pc33"))
			.singleElement()
			.satisfies((event) -> {
				assertThat(event.event().type()).isEqualTo("call.hangup_incomplete");
				assertThat(event.event().data()).isEqualTo(Map.of("call_id", "deaf@pc33", "dns",
						List.of("5002", "5003"), "legs", List.of(Map.of("party", "callee", "released", false,
								"reason", "BYE answered 500", "retrying_until", "2026-11-26T11:00:00Z"))));
			});
	}

	@Test
	void hangupErrors() {
		assertError(mvc.post().uri("/api/call/hangup").contentType(MediaType.APPLICATION_JSON).content("{}").exchange(),
				HttpStatus.BAD_REQUEST, "Missing required parameter: call_id");
		assertError(hangup("call-789456"), HttpStatus.NOT_FOUND, "Call not found: call-789456");
		assertError(hangup("x\r\nAction: Hangup"), HttpStatus.BAD_REQUEST, "Invalid call_id");
		assertError(hangup("/.*/"), HttpStatus.BAD_REQUEST, "Invalid call_id");
		assertThat(asterisk.hungUp).isEmpty();
		assertThat(dialogs.ended).isEmpty();
	}

	@Test
	void aCallOnlyKamailioCarriesHasARecordToo() {
		kamailio.call("a84b@pc33", "5002", "5003", CallState.RINGING, NOW, null);

		assertThat(mvc.get().uri("/api/calls/a84b@pc33")).hasStatusOk().bodyJson().isLenientlyEqualTo("""
				{"call_id":"a84b@pc33","origin":"kamailio","originator":null,"state":"ringing",
				 "sip_call_ids":["a84b@pc33"],"asterisk":null}""");
		assertError(mvc.get().uri("/api/calls/nothing-here").exchange(), HttpStatus.NOT_FOUND,
				"Call not found: nothing-here");
	}

	@Test
	void reconciliationEndsACallNeitherAsteriskNorKamailioHasAnyMore() {
		String callId = callIdOf(make("{\"from\":\"5001\",\"to\":\"1003\"}"));
		clock.advance(Duration.ofSeconds(30));

		reconciler.reconcile();

		assertThat(mvc.get().uri("/api/calls/" + callId)).bodyJson().isLenientlyEqualTo(
				"{\"state\":\"failed\",\"end_cause\":\"reconciled\"}");
	}

	@Test
	void reconciliationKeepsCallsAsteriskStillHas() {
		String callId = callIdOf(make("{\"from\":\"5001\",\"to\":\"1003\"}"));
		asterisk.channels.add(new PbxChannel("PJSIP/kamailio-00000001", callId, callId, "Ringing"));
		clock.advance(Duration.ofSeconds(30));

		reconciler.reconcile();

		assertThat(state(callId)).isEqualTo("initiated");
	}

	@Test
	void reconciliationDoesNotGuessWhileAsteriskCannotBeAsked() {
		String callId = callIdOf(make("{\"from\":\"5001\",\"to\":\"1003\"}"));
		asterisk.unreachable();
		clock.advance(Duration.ofSeconds(30));

		reconciler.reconcile();

		assertThat(state(callId)).isEqualTo("initiated");
	}

	@Test
	void aCallIsHungUpOnTheAsteriskNodeThatPlacedIt() {
		asterisk.placeOn("pbx-west");
		String callId = callIdOf(make("{\"from\":\"5001\",\"to\":\"1003\"}"));
		assertThat(mvc.get().uri("/api/calls/" + callId)).bodyJson()
			.isLenientlyEqualTo("{\"asterisk\":{\"node\":\"pbx-west\"}}");

		assertThat(hangup(callId)).hasStatusOk();

		assertThat(asterisk.hungUp).containsExactly(callId);
		assertThat(asterisk.askedNodes).containsExactly("pbx-west");
	}

	@Test
	void reconciliationAsksOnlyTheCallsOwnNodeSoAnotherNodeAwayEndsNothingAndHidesNothing() {
		asterisk.placeOn("pbx-west");
		String onWest = callIdOf(make("{\"from\":\"5001\",\"to\":\"1003\"}"));
		asterisk.placeOn("pbx-east");
		String onEast = callIdOf(make("{\"from\":\"5002\",\"to\":\"1004\"}"));
		asterisk.unreachable("pbx-east");
		clock.advance(Duration.ofSeconds(30));

		reconciler.reconcile();

		assertThat(state(onEast)).as("its node cannot be asked").isEqualTo("initiated");
		assertThat(mvc.get().uri("/api/calls/" + onWest)).bodyJson().isLenientlyEqualTo(
				"{\"state\":\"failed\",\"end_cause\":\"reconciled\"}");
		assertThat(asterisk.askedNodes).containsExactlyInAnyOrder("pbx-west", "pbx-east");
	}

	private MvcTestResult make(String body) {
		return mvc.post().uri("/api/call/make").contentType(MediaType.APPLICATION_JSON).content(body).exchange();
	}

	private MvcTestResult make(String body, String idempotencyKey) {
		return mvc.post()
			.uri("/api/call/make")
			.header("Idempotency-Key", idempotencyKey)
			.contentType(MediaType.APPLICATION_JSON)
			.content(body)
			.exchange();
	}

	private MvcTestResult hangup(String callId) {
		String body = json.writeValueAsString(Map.of("call_id", callId));
		return mvc.post().uri("/api/call/hangup").contentType(MediaType.APPLICATION_JSON).content(body).exchange();
	}

	private String callIdOf(MvcTestResult result) {
		return json.readTree(result.getResponse().getContentAsByteArray()).path("call_id").asString();
	}

	private String state(String callId) {
		MvcTestResult result = mvc.get().uri("/api/calls/" + callId).exchange();
		return json.readTree(result.getResponse().getContentAsByteArray()).path("state").asString();
	}

	private static void assertError(MvcTestResult result, HttpStatus status, String error) {
		assertThat(result).hasStatus(status).bodyJson().extractingPath("$.error").isEqualTo(error);
	}

}
