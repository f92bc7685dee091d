package org.signaling.api.kamailio.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.signaling.api.call.HangupIncomplete;
import org.signaling.api.call.LegRelease;
import org.signaling.api.kamailio.KamailioProperties;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.testsupport.MutableClock;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Hang-up against WireMock serving real Kamailio 5.6.3 answers: the dialog is found in the live view, read fresh
 * with dlg.dlg_list, then ended with dlg.end_dlg (confirmed) or tm.cancel (ringing). Every test checks the exact
 * JSON-RPC requests sent. The view holds call-2-11840 (confirmed, 3916:164) and ring-1-12239 (ringing, 1318:8941).
 */
class KamailioDialogControlTests {

	private static final String CONFIRMED = "call-2-11840@127.0.0.1";

	/** The parties' tags in dlg.dlg_list-by-callid.json. */
	private static final String CALLER_TAG = "11840SIPpTag002";

	private static final String CALLEE_TAG = "11835SIPpTag012";

	private static final String RINGING = "ring-1-12239@127.0.0.1";

	private static final String READ_CONFIRMED = "{\"jsonrpc\":\"2.0\",\"method\":\"dlg.dlg_list\",\"params\":[\""
			+ CONFIRMED + "\"]}";

	private static final String READ_RINGING = "{\"jsonrpc\":\"2.0\",\"method\":\"dlg.dlg_list\",\"params\":[\""
			+ RINGING + "\"]}";

	private static final String CANCEL_RINGING =
			"{\"jsonrpc\":\"2.0\",\"method\":\"htable.sets\",\"params\":[\"cancels\",\"" + RINGING + "\",\"1\"]}";

	private static final String END_CONFIRMED =
			"{\"jsonrpc\":\"2.0\",\"method\":\"dlg.end_dlg\",\"params\":[3916,164]}";

	@RegisterExtension
	static WireMockExtension kamailio = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T06:00:00Z"));

	/** The fixture dialog's own timeout ({@code "timeout": 1795673308}): until then a party not released is retried. */
	private static final Instant DIALOG_TIMEOUT = Instant.ofEpochSecond(1795673308);

	private KamailioDialogControl control;

	private ByeRetries retries;

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final List<Object> published = new ArrayList<>();

	@BeforeEach
	void setUp() {
		KamailioProperties properties = KamailioTestSupport.properties(kamailio.baseUrl() + "/RPC");
		KamailioRpcClient rpc = KamailioTestSupport.client(properties);
		KamailioStateView view = new KamailioStateView(rpc, properties, clock, new SimpleMeterRegistry());
		stub("ul.dump", okJson("ul.dump-two-registered.json"));
		stub("dlg.list", okJson("dlg.list-two-confirmed-one-early.json"));
		stub("dispatcher.list", okJson("dispatcher.list-up.json"));
		view.refresh();
		kamailio.resetRequests();
		retries = new ByeRetries(rpc, clock, meters, published::add, false);
		control = new KamailioDialogControl(rpc, view, retries, Duration.ofSeconds(5), clock);
	}

	@Test
	void hangsUpAConfirmedCallWithEndDlgAndTheIdsAsJsonNumbers() {
		stub("dlg.dlg_list", okJson("dlg.dlg_list-by-callid.json"));
		stub("dlg.end_dlg", okJson("dlg.end_dlg-ok.json"));

		assertThat(control.end(CONFIRMED)).isTrue();

		assertThat(sent()).containsExactly(READ_CONFIRMED, END_CONFIRMED);
	}

	@Test
	void aHangupIsConfirmedByEachPartysAnswerToItsBye() {
		stub("dlg.dlg_list", okJson("dlg.dlg_list-by-callid.json"));
		stub("dlg.end_dlg", okJson("dlg.end_dlg-ok.json"));
		byeAnswer(CALLER_TAG, okJson(answered(200)));
		byeAnswer(CALLEE_TAG, okJson(answered(481)));

		assertThat(control.endAndConfirm(CONFIRMED, Duration.ofSeconds(5))).contains(List.of(
				LegRelease.released("caller"), LegRelease.released("callee")));
		assertThat(published).isEmpty();
		assertThat(legs("released")).isEqualTo(2);

		assertThat(sent()).contains(
				"{\"jsonrpc\":\"2.0\",\"method\":\"htable.get\",\"params\":[\"byes\",\"" + CONFIRMED + "::"
						+ CALLER_TAG + "\"]}",
				"{\"jsonrpc\":\"2.0\",\"method\":\"htable.get\",\"params\":[\"byes\",\"" + CONFIRMED + "::"
						+ CALLEE_TAG + "\"]}");
	}

	@Test
	void aPartyThatNeverAnswersItsByeOrRefusesItIsNotReleased() {
		stub("dlg.dlg_list", okJson("dlg.dlg_list-by-callid.json"));
		stub("dlg.end_dlg", okJson("dlg.end_dlg-ok.json"));
		byeAnswer(CALLER_TAG, okJson(answered(500)));
		// what Kamailio 5.6.3 answers htable.get for a key it does not hold (measured)
		byeAnswer(CALLEE_TAG, aResponse().withStatus(500).withHeader("Content-Type", "application/json").withBody(
				"{\"jsonrpc\":\"2.0\",\"error\":{\"code\":500,\"message\":\"Key name doesn't exist in htable.\"},"
						+ "\"id\":1}"));

		List<LegRelease> expected = List.of(LegRelease.notReleased("caller", "BYE answered 500", DIALOG_TIMEOUT),
				LegRelease.notReleased("callee", "no answer to its BYE within 200 ms", DIALOG_TIMEOUT));
		assertThat(control.endAndConfirm(CONFIRMED, Duration.ofMillis(200))).contains(expected);
		assertThat(published).containsExactly(new HangupIncomplete(CONFIRMED, Set.of("5001", "5002"), expected));
		assertThat(legs("not_released")).isEqualTo(2);
	}

	@Test
	void aPartyNotReleasedIsSentAByeOfOurOwnBuiltFromTheDialogUntilItAnswers() {
		stub("dlg.dlg_list", okJson("dlg.dlg_list-by-callid.json"));
		stub("dlg.end_dlg", okJson("dlg.end_dlg-ok.json"));
		stub("tm.t_uac_start", okJson("{\"jsonrpc\":\"2.0\",\"result\":{},\"id\":1}"));
		byeAnswer(CALLER_TAG, okJson(answered(200)));
		byeAnswer(CALLEE_TAG, okJson(answered(500)));
		control.endAndConfirm(CONFIRMED, Duration.ofMillis(100));
		kamailio.resetRequests();

		retries.runDue();

		// as Kamailio's own BYE to the callee (measured): From the caller with its tag, To the callee with its tag,
		// the caller leg's CSeq ("1") plus one for end_dlg's BYE and one more for ours; sent from the dialog's socket
		assertThat(sent()).containsExactly("{\"jsonrpc\":\"2.0\",\"method\":\"tm.t_uac_start\",\"params\":[\"BYE\","
				+ "\"sip:5002@127.0.0.1:5092\",\".\",\"udp:127.0.0.1:5060\",\"From: <sip:5001@127.0.0.1>;tag="
				+ CALLER_TAG + "\\r\\nTo: <sip:5002@127.0.0.1>;tag=" + CALLEE_TAG + "\\r\\nCall-ID: " + CONFIRMED
				+ "\\r\\nCSeq: 3 BYE\\r\\n\"]}");

		// not answered yet: the next BYE a second later, with the next CSeq
		kamailio.resetRequests();
		clock.advance(Duration.ofSeconds(1));
		retries.runDue();
		assertThat(sent()).hasSize(2).last().asString().contains("CSeq: 4 BYE");

		// answered: no more BYEs
		byeAnswer(CALLEE_TAG, okJson(answered(200)));
		kamailio.resetRequests();
		clock.advance(Duration.ofSeconds(2));
		retries.runDue();
		clock.advance(Duration.ofMinutes(1));
		retries.runDue();
		assertThat(sent()).noneMatch((request) -> request.contains("t_uac_start"));
		assertThat(legs("released_on_retry")).isEqualTo(1);
	}

	@Test
	void aPartyThatAnswersNoByeIsGivenUpAtItsDialogsTimeout() {
		stub("dlg.dlg_list", okJson("dlg.dlg_list-by-callid.json"));
		stub("dlg.end_dlg", okJson("dlg.end_dlg-ok.json"));
		stub("tm.t_uac_start", okJson("{\"jsonrpc\":\"2.0\",\"result\":{},\"id\":1}"));
		byeAnswer(CALLER_TAG, okJson(answered(200)));
		control.endAndConfirm(CONFIRMED, Duration.ofMillis(100));

		int byes = 0;
		while (clock.instant().isBefore(DIALOG_TIMEOUT.plusSeconds(120))) {
			kamailio.resetRequests();
			retries.runDue();
			byes += (int) sent().stream().filter((request) -> request.contains("t_uac_start")).count();
			clock.advance(Duration.ofSeconds(1));
		}

		// at once, then 1, 2, 4 ... 32 s apart (7 by 06:01:03), then once a minute until 06:08:28 (7 more)
		assertThat(byes).isEqualTo(14);
		assertThat(legs("given_up")).isEqualTo(1);
	}

	@Test
	void aHangupThatDoesNotWaitIsConfirmedAndRetriedAllTheSame() {
		stub("dlg.dlg_list", okJson("dlg.dlg_list-by-callid.json"));
		stub("dlg.end_dlg", okJson("dlg.end_dlg-ok.json"));
		stub("tm.t_uac_start", okJson("{\"jsonrpc\":\"2.0\",\"result\":{},\"id\":1}"));
		byeAnswer(CALLER_TAG, okJson(answered(200)));

		assertThat(control.end(CONFIRMED)).isTrue();
		retries.runDue();
		assertThat(published).as("answers are read after signaling.calls.hangup-timeout").isEmpty();

		clock.advance(Duration.ofSeconds(5));
		kamailio.resetRequests();
		retries.runDue();

		assertThat(published).containsExactly(new HangupIncomplete(CONFIRMED, Set.of("5001", "5002"),
				List.of(LegRelease.notReleased("callee", "no answer to its BYE within 5000 ms", DIALOG_TIMEOUT))));
		assertThat(sent()).anyMatch((request) -> request.contains("t_uac_start"));
	}

	@Test
	void aLegWithAHostileContactIsReportedButNeverSentAnything() {
		stub("dlg.dlg_list", okJson(fixture("dlg.dlg_list-by-callid.json").replace("\"sip:5002@127.0.0.1:5092\"",
				"\"sip:5002@127.0.0.1:5092\\r\\nX-Injected: 1\"")));
		stub("dlg.end_dlg", okJson("dlg.end_dlg-ok.json"));
		stub("tm.t_uac_start", okJson("{\"jsonrpc\":\"2.0\",\"result\":{},\"id\":1}"));
		byeAnswer(CALLER_TAG, okJson(answered(200)));

		assertThat(control.endAndConfirm(CONFIRMED, Duration.ofMillis(100))).contains(List.of(
				LegRelease.released("caller"),
				LegRelease.notReleased("callee", "no answer to its BYE within 100 ms; not retried", null)));
		clock.advance(Duration.ofMinutes(5));
		retries.runDue();

		assertThat(sent()).noneMatch((request) -> request.contains("t_uac_start"));
	}

	private double legs(String outcome) {
		return meters.find("signaling.hangup.legs").tag("outcome", outcome).counters().stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	@Test
	void cancelsARingingCallThroughTheConfigsCancelTableAndSeesItGone() {
		// end_dlg would answer {} and send nothing on an early dialog; tm.cancel can leave it ringing for good.
		stubSequence("dlg.dlg_list", okJson("dlg.dlg_list-stuck-early-dialog.json"),
				okJson("dlg.dlg_list-unknown-callid.json"));
		stub("htable.sets", okJson("{\"jsonrpc\":\"2.0\",\"result\":\"Ok. Key set to new value.\",\"id\":1}"));

		assertThat(control.endAndConfirm(RINGING, Duration.ofSeconds(5)))
			.contains(List.of(LegRelease.released("caller"), LegRelease.released("callee")));

		assertThat(sent()).containsExactly(READ_RINGING, CANCEL_RINGING, READ_RINGING);
		assertThat(published).isEmpty();
	}

	@Test
	void aRingingCallStillRingingAfterTheWaitIsReportedNotReleased() {
		stub("dlg.dlg_list", okJson("dlg.dlg_list-stuck-early-dialog.json"));
		stub("htable.sets", okJson("{\"jsonrpc\":\"2.0\",\"result\":\"Ok. Key set to new value.\",\"id\":1}"));

		List<LegRelease> expected = List.of(
				LegRelease.notReleased("caller", "still ringing 200 ms after its cancel", null),
				LegRelease.notReleased("callee", "still ringing 200 ms after its cancel", null));
		assertThat(control.endAndConfirm(RINGING, Duration.ofMillis(200))).contains(expected);

		assertThat(published).containsExactly(new HangupIncomplete(RINGING, Set.of("5001", "5003"), expected));
	}

	@Test
	void aConfigWithoutTheCancelTableGetsTmCancelWithTheCallerCseqNumberAsAString() {
		stubSequence("dlg.dlg_list", okJson("dlg.dlg_list-stuck-early-dialog.json"),
				okJson("dlg.dlg_list-unknown-callid.json"));
		stub("htable.sets", aResponse().withStatus(500).withHeader("Content-Type", "application/json").withBody(
				"{\"jsonrpc\":\"2.0\",\"error\":{\"code\":500,\"message\":\"No such htable\"},\"id\":1}"));
		stub("tm.cancel", okJson("tm.cancel-early-dialog-ok.json"));

		assertThat(control.end(RINGING)).isTrue();

		assertThat(sent()).containsExactly(READ_RINGING, CANCEL_RINGING,
				"{\"jsonrpc\":\"2.0\",\"method\":\"tm.cancel\",\"params\":[\"" + RINGING + "\",\"1\"]}", READ_RINGING);
	}

	@Test
	void aCallIdNotInTheLiveViewIsNotFoundAndNeverSentToKamailio() {
		assertThat(control.end("no-such-call@127.0.0.1")).isFalse();
		assertThat(control.end("CALL-2-11840@127.0.0.1")).as("exact match").isFalse();
		assertThat(control.end("call-2-11840")).isFalse();
		assertThat(control.end(CONFIRMED + " ")).isFalse();
		assertThat(control.end("\",\"x")).isFalse();

		assertThat(sent()).isEmpty();
	}

	@Test
	void aCallThatEndedSinceTheLastRefreshIsNotFound() {
		stub("dlg.dlg_list", okJson("dlg.dlg_list-unknown-callid.json"));

		assertThat(control.end(CONFIRMED)).isFalse();

		assertThat(sent()).containsExactly(READ_CONFIRMED);
	}

	@Test
	void aDialogAlreadyInStateDeletedIsNotEndedAgain() {
		stub("dlg.dlg_list", okJson(fixture("dlg.dlg_list-by-callid.json").replace("\"state\":\t4", "\"state\":\t5")));

		assertThat(control.end(CONFIRMED)).isFalse();

		assertThat(sent()).containsExactly(READ_CONFIRMED);
	}

	@Test
	void aRingingCallAnsweredBeforeTheCancelIsHungUpInstead() {
		// the config finds no INVITE to cancel once the callee answered; the next read shows the call confirmed
		stubSequence("dlg.dlg_list", okJson("dlg.dlg_list-stuck-early-dialog.json"),
				okJson(fixture("dlg.dlg_list-by-callid.json").replace(CONFIRMED, RINGING)));
		stub("htable.sets", okJson("{\"jsonrpc\":\"2.0\",\"result\":\"Ok. Key set to new value.\",\"id\":1}"));
		stub("dlg.end_dlg", okJson("dlg.end_dlg-ok.json"));

		assertThat(control.end(RINGING)).isTrue();

		assertThat(sent()).containsExactly(READ_RINGING, CANCEL_RINGING, READ_RINGING, END_CONFIRMED);
	}

	@Test
	void aDialogThatEndsBetweenTheReadAndEndDlgIsNotFound() {
		stubSequence("dlg.dlg_list", okJson("dlg.dlg_list-by-callid.json"), okJson("dlg.dlg_list-unknown-callid.json"));
		stub("dlg.end_dlg", fault(404, "error-dlg.end_dlg-not-found.json"));

		assertThat(control.end(CONFIRMED)).isFalse();

		assertThat(sent()).containsExactly(READ_CONFIRMED, END_CONFIRMED, READ_CONFIRMED);
	}

	@Test
	void aFaultThatPersistsIsBackendUnavailableAfterOneMoreRead() {
		stub("dlg.dlg_list", okJson("dlg.dlg_list-by-callid.json"));
		stub("dlg.end_dlg", fault(404, "error-dlg.end_dlg-not-found.json"));

		BackendUnavailableException failure = catchThrowableOfType(BackendUnavailableException.class,
				() -> control.end(CONFIRMED));

		assertThat(failure.backend()).isEqualTo("kamailio");
		assertThat(failure.getMessage()).contains("Dialog not found");
		assertThat(sent()).containsExactly(READ_CONFIRMED, END_CONFIRMED, READ_CONFIRMED, END_CONFIRMED);
	}

	@Test
	void kamailioUnreachableWhileReadingIsBackendUnavailable() {
		stub("dlg.dlg_list", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

		BackendUnavailableException failure = catchThrowableOfType(BackendUnavailableException.class,
				() -> control.end(CONFIRMED));

		assertThat(failure.backend()).isEqualTo("kamailio");
		assertThat(failure.getMessage()).isEqualTo("Kamailio unreachable");
		assertThat(failure).isNotInstanceOf(RestClientException.class);
		assertThat(sent()).containsExactly(READ_CONFIRMED);
	}

	@Test
	void kamailioUnreachableWhileEndingIsBackendUnavailableWithoutRetry() {
		stub("dlg.dlg_list", okJson("dlg.dlg_list-by-callid.json"));
		stub("dlg.end_dlg", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

		BackendUnavailableException failure = catchThrowableOfType(BackendUnavailableException.class,
				() -> control.end(CONFIRMED));

		assertThat(failure.getMessage()).isEqualTo("Kamailio unreachable");
		assertThat(sent()).containsExactly(READ_CONFIRMED, END_CONFIRMED);
	}

	@Test
	void aFaultWhileReadingIsBackendUnavailable() {
		stub("dlg.dlg_list", fault(500, "error-method-not-found.json"));

		BackendUnavailableException failure = catchThrowableOfType(BackendUnavailableException.class,
				() -> control.end(CONFIRMED));

		assertThat(failure.getMessage()).contains("Method Not Found");
		assertThat(sent()).containsExactly(READ_CONFIRMED);
	}

	@Test
	void anAnswerAboutAnotherDialogOrWithoutIdsIsNotActedOn() {
		stub("dlg.dlg_list", okJson(fixture("dlg.dlg_list-by-callid.json").replace(CONFIRMED, "other@127.0.0.1")));

		assertThat(catchThrowableOfType(BackendUnavailableException.class, () -> control.end(CONFIRMED)).getMessage())
			.contains("unusable answer");

		stub("dlg.dlg_list",
				okJson(fixture("dlg.dlg_list-by-callid.json").replace("\"h_id\":\t164", "\"h_id\":\t\"164\"")));

		assertThat(catchThrowableOfType(BackendUnavailableException.class, () -> control.end(CONFIRMED)).getMessage())
			.contains("unusable answer");

		stub("dlg.dlg_list", okJson("dlg.list-two-confirmed.json"));

		assertThat(catchThrowableOfType(BackendUnavailableException.class, () -> control.end(CONFIRMED)).getMessage())
			.contains("unusable answer");
		assertThat(sent()).containsExactly(READ_CONFIRMED, READ_CONFIRMED, READ_CONFIRMED);
	}

	@Test
	void aRingingDialogWithoutCallerCseqIsNotCancelled() {
		stub("dlg.dlg_list", okJson(fixture("dlg.dlg_list-stuck-early-dialog.json").replace("\"cseq\":\t\"1\"",
				"\"cseq\":\t\"1 INVITE\"")));

		assertThat(catchThrowableOfType(BackendUnavailableException.class, () -> control.end(RINGING)).getMessage())
			.contains("unusable answer");
		assertThat(sent()).containsExactly(READ_RINGING);
	}

	@Test
	void aStaleViewIsBackendUnavailableWithoutAskingKamailio() {
		clock.advance(Duration.ofSeconds(6));

		BackendUnavailableException failure = catchThrowableOfType(BackendUnavailableException.class,
				() -> control.end(CONFIRMED));

		assertThat(failure.getMessage()).isEqualTo("Kamailio unreachable");
		assertThat(sent()).isEmpty();
	}

	private static void stub(String method, ResponseDefinitionBuilder response) {
		kamailio.stubFor(post("/RPC").withRequestBody(matchingJsonPath("$.method", equalTo(method)))
			.willReturn(response));
	}

	/** The answer to htable.get for one party's BYE answer (key {@code <Call-ID>::<tag>}). */
	private static void byeAnswer(String tag, ResponseDefinitionBuilder response) {
		kamailio.stubFor(post("/RPC").withRequestBody(matchingJsonPath("$.method", equalTo("htable.get")))
			.withRequestBody(matchingJsonPath("$.params[1]", equalTo(CONFIRMED + "::" + tag)))
			.willReturn(response));
	}

	/** htable.get's answer for a key it holds (measured on Kamailio 5.6.3), with this status as the value. */
	private static String answered(int status) {
		return "{\"jsonrpc\":\"2.0\",\"result\":{\"item\":{\"name\":\"k\",\"value\":" + status
				+ ",\"flags\":0,\"expire\":\"2026-12-07 09:47:44\"}},\"id\":1}";
	}

	/** The first call gets {@code first}, every later one {@code then}. */
	private static void stubSequence(String method, ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
		kamailio.stubFor(post("/RPC").withRequestBody(matchingJsonPath("$.method", equalTo(method)))
			.inScenario(method)
			.whenScenarioStateIs(STARTED)
			.willSetStateTo("read")
			.willReturn(first));
		kamailio.stubFor(post("/RPC").withRequestBody(matchingJsonPath("$.method", equalTo(method)))
			.inScenario(method)
			.whenScenarioStateIs("read")
			.willReturn(then));
	}

	/** Kamailio 5.6 answers faults with the JSON-RPC error code as HTTP status and the error in the body. */
	private static ResponseDefinitionBuilder fault(int status, String fixture) {
		return aResponse().withStatus(status)
			.withHeader("Content-Type", "application/json")
			.withBody(KamailioFixtures.body(fixture));
	}

	private static ResponseDefinitionBuilder okJson(String fixtureOrBody) {
		if (fixtureOrBody.startsWith("{")) {
			return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(fixtureOrBody);
		}
		return KamailioRpcClientTests.okJson(fixtureOrBody);
	}

	private static String fixture(String name) {
		return KamailioFixtures.body(name);
	}

	/**
	 * The JSON-RPC requests Kamailio received, oldest first, each without its {@code id} (checked to be a number),
	 * compact: types are kept, so {@code [3916,164]} and {@code ["3916","164"]} differ.
	 */
	private static List<String> sent() {
		List<ServeEvent> events = new ArrayList<>(kamailio.getAllServeEvents());
		Collections.reverse(events);
		List<String> requests = new ArrayList<>();
		for (ServeEvent event : events) {
			JsonNode request = KamailioFixtures.JSON.readTree(event.getRequest().getBodyAsString());
			assertThat(request.path("id").isIntegralNumber()).as("numeric id in %s", request).isTrue();
			((ObjectNode) request).remove("id");
			requests.add(request.toString());
		}
		return requests;
	}

}
