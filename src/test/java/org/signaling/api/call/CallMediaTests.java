package org.signaling.api.call;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.signaling.api.call.MediaControl.MonitorMode;
import org.signaling.api.call.internal.CallRegistry;
import org.signaling.api.events.EventLog;
import org.signaling.api.testsupport.AuthenticatedRequests;
import org.signaling.api.testsupport.FakeBackends;
import org.signaling.api.testsupport.FakeMediaControl;
import org.signaling.api.testsupport.FakePbx;
import org.signaling.api.testsupport.FakeSignalingState;
import org.signaling.api.testsupport.MutableClock;
import org.signaling.api.testsupport.TestCredentials;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hold, DTMF, mute, recording, transfers and monitors through the whole service (real controllers, rules, database,
 * events and security) with Asterisk's media control replaced by a fake that records each action; the same against
 * the AMI double, at the wire level, is in the asterisk tests.
 */
@SpringBootTest(properties = { "signaling.kamailio.rpc-url=http://127.0.0.1:9/RPC",
		"signaling.kamailio.sip-domain=192.168.210.54", "signaling.genesys.server=192.168.210.81:5060",
		"signaling.dn.directory=5001-5009", "signaling.calls.reconcile-interval=1h" })
@AutoConfigureMockMvc
@Import({ AuthenticatedRequests.class, FakeBackends.class })
class CallMediaTests {

	static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

	static final String CUSTOMER = "1795670000.2";

	@Autowired
	MockMvcTester mvc;

	@Autowired
	FakeSignalingState kamailio;

	@Autowired
	FakePbx asterisk;

	@Autowired
	FakeMediaControl media;

	@Autowired
	MutableClock clock;

	@Autowired
	ApplicationEventPublisher publisher;

	@Autowired
	CallRegistry registry;

	@Autowired
	EventLog events;

	final JsonMapper json = JsonMapper.builder().build();

	String callId;

	@BeforeEach
	void anAnsweredCallThroughAsterisk() {
		clock.set(NOW);
		kamailio.reset();
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp");
		asterisk.reset();
		media.reset();
		registry.live().forEach((call) -> registry.end(call.callId(), "test_reset"));
		callId = json.readTree(post("/api/call/make", "{\"from\":\"5001\",\"to\":\"1003\"}").getResponse()
			.getContentAsByteArray()).path("call_id").asString();
		publisher.publishEvent(new PbxEvent.LegCreated(callId, "PJSIP/kamailio-00000001", callId, callId, NOW));
		publisher.publishEvent(new PbxEvent.LegAnswered(callId, "PJSIP/kamailio-00000001", callId, NOW));
		publisher.publishEvent(new PbxEvent.LegCreated(callId, "PJSIP/genesys-00000002", CUSTOMER, callId, NOW));
		publisher.publishEvent(new PbxEvent.LegBridged(callId, "PJSIP/genesys-00000002", CUSTOMER, 2, NOW));
	}

	@Test
	void holdPutsTheCustomerOnHoldAndUnholdBringsThemBackWithEvents() {
		assertThat(post("/api/calls/" + callId + "/hold", null)).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"call_id\":\"%s\",\"held\":true}".formatted(callId));
		assertThat(post("/api/calls/" + callId + "/unhold", null)).hasStatusOk()
			.bodyJson()
			.extractingPath("$.held")
			.isEqualTo(false);

		assertThat(media.actions).containsExactly("hold", "unhold");
		assertThat(media.lastLegs).isEqualTo(new MediaControl.Legs(FakePbx.NODE, callId, "PJSIP/kamailio-00000001",
				CUSTOMER));
		assertThat(eventTypes()).containsSubsequence("call.held", "call.unheld");
	}

	@Test
	void dtmfDigitsGoOneByOneWithTheirDuration() {
		MvcTestResult sent = post("/api/calls/" + callId + "/dtmf", "{\"digits\":\"12#\",\"duration_ms\":150}");

		assertThat(sent).hasStatus(HttpStatus.ACCEPTED)
			.bodyJson()
			.isStrictlyEqualTo("{\"call_id\":\"%s\",\"digits\":\"12#\",\"duration_ms\":150}".formatted(callId));
		assertThat(media.actions).containsExactly("dtmf 1 150", "dtmf 2 150", "dtmf # 150");
		assertThat(eventTypes()).contains("call.dtmf_sent");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"digits\":\"12x\"}", "{\"digits\":\"\"}", "{}",
			"{\"digits\":\"123456789012345678901234567890123\"}", "{\"digits\":\"1\",\"duration_ms\":10}",
			"{\"digits\":\"1\\r\\nAction: Originate\"}", "{\"digits\":\"1\",\"duration_ms\":5000}" })
	void dtmfOutsideItsGrammarIs400AndReachesNoPbx(String body) {
		assertThat(post("/api/calls/" + callId + "/dtmf", body)).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.extractingPath("$.error")
			.asString()
			.isNotBlank();
		assertThat(media.actions).isEmpty();
	}

	@Test
	void muteTakesADirectionAndAState() {
		assertThat(post("/api/calls/" + callId + "/mute", "{\"direction\":\"in\",\"state\":\"on\"}")).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"call_id\":\"%s\",\"direction\":\"in\",\"state\":\"on\"}".formatted(callId));
		assertThat(post("/api/calls/" + callId + "/mute", "{\"direction\":\"up\",\"state\":\"on\"}"))
			.hasStatus(HttpStatus.BAD_REQUEST);

		assertThat(media.actions).containsExactly("mute in on");
		assertThat(eventTypes()).contains("call.muted");
	}

	@Test
	void aRecordingStartsPausesResumesAndStopsOnceAtATime() {
		MvcTestResult started = post("/api/calls/" + callId + "/recording", "{\"action\":\"start\"}");
		assertThat(started).hasStatusOk().bodyJson().extractingPath("$.state").isEqualTo("recording");
		String recordingId = field(started, "recording_id");
		assertThat(recordingId).matches("rec-[0-9a-f]{32}");
		assertThat(field(started, "file")).isEqualTo(recordingId + ".wav");
		assertThat(post("/api/calls/" + callId + "/recording", "{\"action\":\"start\"}"))
			.hasStatus(HttpStatus.CONFLICT);

		assertThat(post("/api/calls/" + callId + "/recording", "{\"action\":\"pause\"}")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.state")
			.isEqualTo("paused");
		assertThat(post("/api/calls/" + callId + "/recording", "{\"action\":\"resume\"}")).hasStatusOk();
		assertThat(post("/api/calls/" + callId + "/recording", "{\"action\":\"stop\"}")).hasStatusOk()
			.bodyJson()
			.isLenientlyEqualTo("{\"recording_id\":\"%s\",\"state\":\"stopped\"}".formatted(recordingId));

		assertThat(media.actions).containsExactly("record " + recordingId + ".wav", "pause recording",
				"resume recording", "stop recording mixmon-1");
		assertThat(eventTypes()).containsSubsequence("call.recording.started", "call.recording.paused",
				"call.recording.resumed", "call.recording.stopped");
		assertThat(post("/api/calls/" + callId + "/recording", "{\"action\":\"stop\"}"))
			.hasStatus(HttpStatus.CONFLICT);
	}

	@Test
	void aBlindTransferIsCompletedOnceAsteriskTookItAndCanBeReadBack() {
		MvcTestResult transfer = post("/api/calls/" + callId + "/transfers", "{\"to\":\"5002\",\"mode\":\"blind\"}");

		assertThat(transfer).hasStatus(HttpStatus.ACCEPTED).bodyJson().isLenientlyEqualTo(
				"{\"call_id\":\"%s\",\"to\":\"5002\",\"mode\":\"blind\",\"state\":\"completed\"}".formatted(callId));
		String transferId = field(transfer, "transfer_id");
		assertThat(transfer).hasHeader("Location", "/api/transfers/" + transferId);
		assertThat(mvc.get().uri("/api/transfers/" + transferId)).hasStatusOk()
			.bodyJson()
			.extractingPath("$.state")
			.isEqualTo("completed");
		assertThat(media.actions).containsExactly("blind transfer 5002");
		assertThat(eventTypes()).contains("call.transfer.completed");
	}

	@Test
	void anAttendedTransferRingsIsAnsweredAndCompletesAndOneAtATime() {
		String transferId = field(post("/api/calls/" + callId + "/transfers",
				"{\"to\":\"5002\",\"mode\":\"attended\",\"timeout\":20}"), "transfer_id");
		assertThat(post("/api/calls/" + callId + "/transfers", "{\"to\":\"5003\"}")).hasStatus(HttpStatus.CONFLICT)
			.bodyJson()
			.extractingPath("$.error")
			.asString()
			.contains("already in progress");
		assertThat(post("/api/transfers/" + transferId + "/complete", null)).as("not answered yet")
			.hasStatus(HttpStatus.CONFLICT);

		// Asterisk reports the target's leg answering
		publisher.publishEvent(new PbxEvent.LegCreated(callId, "PJSIP/genesys-00000003", "1795670000.3", callId,
				NOW));
		publisher.publishEvent(new PbxEvent.LegAnswered(callId, "PJSIP/genesys-00000003", "1795670000.3", NOW));
		assertThat(mvc.get().uri("/api/transfers/" + transferId)).bodyJson()
			.extractingPath("$.state")
			.isEqualTo("answered");

		assertThat(post("/api/transfers/" + transferId + "/complete", null)).hasStatusOk()
			.bodyJson()
			.extractingPath("$.state")
			.isEqualTo("completed");
		assertThat(media.actions).containsExactly("attended transfer 5002", "complete transfer");
		assertThat(eventTypes()).containsSubsequence("call.transfer.ringing", "call.transfer.answered",
				"call.transfer.completed");
	}

	@Test
	void legsAsteriskHangsUpForACompletionOrACancelAreNotTakenForTheCallOrTheTargetGoing() {
		String first = field(post("/api/calls/" + callId + "/transfers", "{\"to\":\"5002\",\"mode\":\"attended\"}"),
				"transfer_id");
		publisher.publishEvent(new PbxEvent.LegAnswered(callId, "PJSIP/genesys-00000003", "1795670000.3", NOW));
		// Asterisk reports the agent's leg hung up before its answer to the Hangup arrives
		media.during = (action) -> publisher.publishEvent(new PbxEvent.LegHungUp(callId, "PJSIP/kamailio-00000001",
				callId, 16, "Normal Clearing", NOW));
		assertThat(post("/api/transfers/" + first + "/complete", null)).hasStatusOk();

		assertThat(eventTypes()).filteredOn((type) -> type.startsWith("call.transfer."))
			.containsExactly("call.transfer.ringing", "call.transfer.answered", "call.transfer.completed");
	}

	@Test
	void aCancelsTargetHangupIsNotAFailureAndTheAgentLeavingCompletes() {
		String cancelled = field(post("/api/calls/" + callId + "/transfers",
				"{\"to\":\"5002\",\"mode\":\"attended\"}"), "transfer_id");
		publisher.publishEvent(new PbxEvent.LegAnswered(callId, "PJSIP/genesys-00000003", "1795670000.3", NOW));
		media.during = (action) -> publisher.publishEvent(new PbxEvent.LegHungUp(callId, "PJSIP/genesys-00000003",
				"1795670000.3", 16, "Normal Clearing", NOW));
		assertThat(mvc.delete().uri("/api/transfers/" + cancelled).exchange()).hasStatusOk();
		media.during = (action) -> {
		};

		String second = field(post("/api/calls/" + callId + "/transfers", "{\"to\":\"5003\",\"mode\":\"attended\"}"),
				"transfer_id");
		publisher.publishEvent(new PbxEvent.LegAnswered(callId, "PJSIP/genesys-00000004", "1795670000.4", NOW));
		// the agent hangs up its own phone: Asterisk completes the transfer
		publisher.publishEvent(new PbxEvent.LegHungUp(callId, "PJSIP/kamailio-00000001", callId, 16, null, NOW));

		assertThat(mvc.get().uri("/api/transfers/" + second)).bodyJson().extractingPath("$.state")
			.isEqualTo("completed");
		assertThat(eventTypes()).filteredOn((type) -> type.startsWith("call.transfer."))
			.containsExactly("call.transfer.ringing", "call.transfer.answered", "call.transfer.cancelled",
					"call.transfer.ringing", "call.transfer.answered", "call.transfer.completed");
	}

	@Test
	void anAttendedTransferCanBeCancelledAndTimesOutWhenNobodyAnswers() {
		String cancelled = field(post("/api/calls/" + callId + "/transfers",
				"{\"to\":\"5002\",\"mode\":\"attended\"}"), "transfer_id");
		assertThat(mvc.delete().uri("/api/transfers/" + cancelled).exchange()).hasStatusOk()
			.bodyJson()
			.extractingPath("$.state")
			.isEqualTo("cancelled");

		String unanswered = field(post("/api/calls/" + callId + "/transfers",
				"{\"to\":\"5003\",\"mode\":\"attended\",\"timeout\":5}"), "transfer_id");
		clock.advance(Duration.ofSeconds(6));
		await(() -> "failed".equals(field(mvc.get().uri("/api/transfers/" + unanswered).exchange(), "state")));

		assertThat(media.actions).containsExactly("attended transfer 5002", "cancel transfer",
				"attended transfer 5003", "cancel transfer");
		assertThat(eventTypes()).containsSubsequence("call.transfer.cancelled", "call.transfer.failed");
	}

	@Test
	void aSupervisorJoinsSwitchesModeAndLeavesAnAgentsCall() {
		MvcTestResult monitor = post("/api/calls/" + callId + "/monitors",
				"{\"supervisor_dn\":\"5009\",\"mode\":\"listen\"}");
		assertThat(monitor).hasStatus(HttpStatus.ACCEPTED).bodyJson().isLenientlyEqualTo(
				"{\"call_id\":\"%s\",\"supervisor_dn\":\"5009\",\"mode\":\"listen\",\"state\":\"ringing\"}"
					.formatted(callId));
		String monitorId = field(monitor, "monitor_id");
		publisher.publishEvent(new PbxEvent.MonitorAnswered(monitorId, NOW));

		assertThat(mvc.patch().uri("/api/monitors/" + monitorId).contentType(MediaType.APPLICATION_JSON)
			.content("{\"mode\":\"whisper\"}")
			.exchange()).hasStatusOk().bodyJson().isLenientlyEqualTo("{\"mode\":\"whisper\",\"state\":\"active\"}");
		assertThat(mvc.delete().uri("/api/monitors/" + monitorId).exchange()).hasStatusOk()
			.bodyJson()
			.extractingPath("$.state")
			.isEqualTo("ended");

		assertThat(media.actions).containsExactly("monitor 5009 " + MonitorMode.LISTEN,
				"monitor mode " + MonitorMode.WHISPER, "end monitor");
		assertThat(eventTypes()).containsSubsequence("call.monitor.started", "call.monitor.active",
				"call.monitor.mode_changed", "call.monitor.ended");
	}

	@Test
	void onlySupervisorsMonitorWhileCallsScopeHoldsAndTransfers() {
		assertThat(mvc.post().uri("/api/calls/" + callId + "/monitors").header("X-API-Key", TestCredentials.CALLER_KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"supervisor_dn\":\"5009\"}")
			.exchange()).hasStatus(HttpStatus.FORBIDDEN);
		assertThat(mvc.post().uri("/api/calls/" + callId + "/hold").header("X-API-Key", TestCredentials.READER_KEY)
			.exchange()).hasStatus(HttpStatus.FORBIDDEN);
		assertThat(mvc.post().uri("/api/calls/" + callId + "/hold").header("X-API-Key", TestCredentials.CALLER_KEY)
			.exchange()).hasStatusOk();

		assertThat(media.actions).containsExactly("hold");
	}

	@Test
	void aCallAsteriskDoesNotCarryIs409AndAnUnknownOneIs404() {
		kamailio.call("sip-only@pc33", "5001", "5002", CallState.CONFIRMED, NOW, NOW);

		assertThat(post("/api/calls/sip-only@pc33/hold", null)).hasStatus(HttpStatus.CONFLICT)
			.bodyJson()
			.extractingPath("$.error")
			.isEqualTo("Call sip-only@pc33 needs Asterisk in the media path");
		assertThat(post("/api/calls/call-00000000000000000000000000000000/hold", null))
			.hasStatus(HttpStatus.NOT_FOUND);
		assertThat(post("/api/calls/" + callId + "/mute", "{\"direction\":\"in\",\"state\":\"on\"}"))
			.hasStatusOk();
		registry.end(callId, "test");
		assertThat(post("/api/calls/" + callId + "/hold", null)).as("ended").hasStatus(HttpStatus.CONFLICT);

		assertThat(media.actions).containsExactly("mute in on");
	}

	@Test
	void aCallNotAnsweredYetCannotBeHeld() {
		String ringing = json.readTree(post("/api/call/make", "{\"from\":\"5001\",\"to\":\"1004\"}").getResponse()
			.getContentAsByteArray()).path("call_id").asString();

		assertThat(post("/api/calls/" + ringing + "/hold", null)).hasStatus(HttpStatus.CONFLICT)
			.bodyJson()
			.extractingPath("$.error")
			.asString()
			.contains("not answered");
		assertThat(media.actions).isEmpty();
	}

	@Test
	void anIdempotencyKeyReplaysTheAnswerAndActsOnce() {
		MvcTestResult first = post("/api/calls/" + callId + "/transfers", "{\"to\":\"5002\"}", "wwe-tr-1");
		MvcTestResult retry = post("/api/calls/" + callId + "/transfers", "{\"to\":\"5002\"}", "wwe-tr-1");

		assertThat(retry).hasStatus(HttpStatus.ACCEPTED).hasHeader("Idempotent-Replayed", "true");
		assertThat(field(retry, "transfer_id")).isEqualTo(field(first, "transfer_id"));
		assertThat(post("/api/calls/" + callId + "/transfers", "{\"to\":\"5003\"}", "wwe-tr-1"))
			.hasStatus(HttpStatus.UNPROCESSABLE_CONTENT);
		assertThat(media.actions).containsExactly("blind transfer 5002");
	}

	@Test
	void asteriskRefusingIsA502AndChangesNothing() {
		media.refuse("Channel does not exist: " + CUSTOMER);

		assertThat(post("/api/calls/" + callId + "/hold", null)).hasStatus(HttpStatus.BAD_GATEWAY)
			.bodyJson()
			.extractingPath("$.error")
			.asString()
			.contains("Channel does not exist");
		assertThat(eventTypes()).doesNotContain("call.held");

		// a monitor is stored before Asterisk is asked (its leg may answer first): refused, it has ended
		assertThat(post("/api/calls/" + callId + "/monitors", "{\"supervisor_dn\":\"5009\"}"))
			.hasStatus(HttpStatus.BAD_GATEWAY);
		assertThat(eventTypes()).containsSubsequence("call.monitor.started", "call.monitor.ended");
	}

	private List<String> eventTypes() {
		return events.after(0, 100_000)
			.stream()
			.filter((stored) -> stored.event().subject().equals(callId))
			.map((stored) -> stored.event().type())
			.toList();
	}

	private MvcTestResult post(String path, String body) {
		return post(path, body, null);
	}

	private MvcTestResult post(String path, String body, String idempotencyKey) {
		MockMvcTester.MockMvcRequestBuilder request = mvc.post().uri(path);
		if (idempotencyKey != null) {
			request = request.header("Idempotency-Key", idempotencyKey);
		}
		if (body != null) {
			request = request.contentType(MediaType.APPLICATION_JSON).content(body);
		}
		return request.exchange();
	}

	private String field(MvcTestResult result, String name) {
		JsonNode answer = json.readTree(result.getResponse().getContentAsByteArray());
		return answer.path(name).asString();
	}

	private static void await(BooleanSupplier condition) {
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(condition::getAsBoolean);
	}

}
