package org.signaling.api.kamailio.internal;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.signaling.api.call.ActiveCall;
import org.signaling.api.call.ActiveCalls;
import org.signaling.api.call.CallIds;
import org.signaling.api.call.CallState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class DialogListReaderTests {

	private final DialogListReader reader = new DialogListReader();

	@Test
	void readsConfirmedAndRingingDialogs() {
		ActiveCalls calls = reader.read(KamailioFixtures.result("dlg.list-two-confirmed-one-early.json"));

		assertThat(calls.count()).isEqualTo(3);
		assertThat(calls.all()).filteredOn((call) -> call.state() == CallState.CONFIRMED).hasSize(2);
		assertThat(calls.all()).filteredOn((call) -> call.state() == CallState.RINGING).hasSize(1);
	}

	@Test
	void readsCallIdentityAndTimesOfConfirmedDialog() {
		ActiveCalls calls = reader.read(KamailioFixtures.result("dlg.list-two-confirmed-one-early.json"));

		ActiveCall call = calls.all()
			.stream()
			.filter((c) -> c.listedCallId().equals("call-2-11840@127.0.0.1"))
			.findFirst()
			.orElseThrow();
		assertThat(call.dialogId()).isEqualTo("3916:164");
		assertThat(call.fromUri()).isEqualTo("sip:5001@127.0.0.1");
		assertThat(call.toUri()).isEqualTo("sip:5002@127.0.0.1");
		assertThat(call.state()).isEqualTo(CallState.CONFIRMED);
		assertThat(call.createdAt()).isEqualTo(Instant.ofEpochSecond(1795669707));
		assertThat(call.answeredAt()).isEqualTo(Instant.ofEpochSecond(1795669707));
	}

	@Test
	void ringingDialogHasNoAnswerTime() {
		ActiveCalls calls = reader.read(KamailioFixtures.result("dlg.list-two-confirmed-one-early.json"));

		ActiveCall ringing = callsOf(calls, "5003").get(0);
		assertThat(ringing.state()).isEqualTo(CallState.RINGING);
		assertThat(ringing.answeredAt()).isNull();
	}

	@Test
	void indexesCallsByBothParties() {
		ActiveCalls calls = reader.read(KamailioFixtures.result("dlg.list-two-confirmed-one-early.json"));

		assertThat(callsOf(calls, "5001")).hasSize(3);
		assertThat(callsOf(calls, "5002")).hasSize(2);
		assertThat(callsOf(calls, "5003")).hasSize(1);
		assertThat(callsOf(calls, "5999")).isEmpty();
	}

	@Test
	void countsDnTaggedByDialogProfileAlthoughToHeaderNamesSomeoneElse() {
		String list = """
				[{"h_entry":1,"h_id":2,"call-id":"x1","from_uri":"sip:genesys@10.0.0.81",\
				"to_uri":"sip:+15551234@10.0.0.81",
				  "state":4,"init_ts":1795669700,"start_ts":1795669705,"profiles":[{"dn":"5001"}]}]""";

		ActiveCalls calls = reader.read(KamailioFixtures.JSON.readTree(list));

		assertThat(callsOf(calls, "5001")).hasSize(1);
	}

	@Test
	void aDialogWithHostileValuesIsListedWithBoundedOnesAndTheOthersAsTheyAre() {
		String longUser = "9".repeat(300);
		String list = """
				[{"h_entry":1,"h_id":2,"call-id":"%s","from_uri":"sip:%s@evil","to_uri":"sip:5002@a\\r\\nX: y",
				  "state":4,"init_ts":1795669700,"start_ts":99999999999999,\
				"profiles":[{"agent":"%s"},{"dn":"5002"},"odd",{"dn":{}}]},
				 {"h_entry":3,"h_id":4,"call-id":"ok@pc33","from_uri":"sip:5001@a","to_uri":"sip:5001@a","state":4,
				  "init_ts":1795669700,"start_ts":1795669705},
				 "not a dialog", 17]""".formatted("c".repeat(500), longUser, longUser);

		ActiveCalls calls = reader.read(KamailioFixtures.JSON.readTree(list));

		assertThat(calls.all()).hasSize(2);
		ActiveCall hostile = calls.all().stream().filter((call) -> call.dialogId().equals("1:2")).findFirst()
			.orElseThrow();
		assertThat(CallIds.isValid(hostile.listedCallId())).isTrue();
		assertThat(hostile.fromUri()).hasSizeLessThanOrEqualTo(256).matches("[\\x21-\\x7e]+");
		assertThat(hostile.toUri()).isEqualTo("sip:5002@a??X:?y");
		assertThat(hostile.fromDn()).isEmpty();
		assertThat(hostile.dns()).containsExactly("5002");
		assertThat(hostile.answeredAt()).isNull();
		// The same DN on both sides is one DN in one call.
		ActiveCall toItself = calls.all().stream().filter((call) -> call.listedCallId().equals("ok@pc33")).findFirst()
			.orElseThrow();
		assertThat(toItself.dns()).containsExactly("5001");
		assertThat(callsOf(calls, "5001")).hasSize(1);
	}

	@Test
	void endedDialogsAreNotActive() {
		String list = """
				[{"h_entry":1,"h_id":2,"call-id":"gone","from_uri":"sip:5001@a","to_uri":"sip:5002@a","state":5,
				  "init_ts":1795669700,"start_ts":1795669705}]""";

		assertThat(reader.read(KamailioFixtures.JSON.readTree(list)).count()).isZero();
	}

	@Test
	void readsTheApiCallIdTheConfigKeepsInTheDialogVariableCallId() {
		// Captured from config/kamailio/kamailio.cfg: the second INVITE carried "X-Call-Id: call-cadc…", the first
		// none; Kamailio prints dialog variables as "variables":[{"call_id":"call-…"}].
		ActiveCalls calls = reader.read(KamailioFixtures.result("dlg.list-with-api-call-id.json"));

		assertThat(calls.all()).extracting(ActiveCall::sipCallId, ActiveCall::apiCallId)
			.containsExactlyInAnyOrder(tuple("apicall-1-2159@127.0.0.1", "call-cadc805adeaeb2eaa9b985cd9c124072"),
					tuple("call-1-2155@127.0.0.1", null));
	}

	@Test
	void takesOnlyAnApiCallIdOfTheApisOwnFormat() {
		String list = """
				[{"h_entry":1,"h_id":2,"call-id":"x1","from_uri":"sip:5001@a","to_uri":"sip:5002@a","state":4,
				  "init_ts":1795669700,"start_ts":1795669705,
				  "variables":[{"other":"call-0123456789abcdef0123456789abcdef"},\
				{"call_id":"call-0123456789ABCDEF0123456789ABCDEF"}]}]""";

		assertThat(reader.read(KamailioFixtures.JSON.readTree(list)).all().get(0).apiCallId()).isNull();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "0ADGKUB0K4BQR4N5N7C2B2LAES00000E|0ADGKUB0K4BQR4N5N7C2B2LAES00000E",
			"a_b-c|a_b-c", "'x\\r\\nX-Injected: 1'|", "'0ADG KUB'|", "''|",
			"12345678901234567890123456789012345678901234567890123456789012345|" })
	void takesAGenesysCallUuidTheConfigKeptOnlyWhenItIsOne(String variable, String expected) {
		String list = """
				[{"h_entry":1,"h_id":2,"call-id":"x1","from_uri":"sip:5001@a","to_uri":"sip:5002@a","state":4,
				  "init_ts":1795669700,"start_ts":1795669705,"variables":[{"genesys_uuid":"%s"}]}]"""
			.formatted(variable);

		assertThat(reader.read(KamailioFixtures.JSON.readTree(list)).all().get(0).genesysCallUuid())
			.isEqualTo(expected);
	}

	@Test
	void readsNoDialogs() {
		assertThat(reader.read(KamailioFixtures.result("dlg.list-empty.json")).count()).isZero();
	}

	@Test
	void userPartOfUris() {
		assertThat(DialogListReader.userOf("sip:5001@10.0.0.1;transport=udp")).isEqualTo("5001");
		assertThat(DialogListReader.userOf("sip:5001;phone-context=x@10.0.0.1")).isEqualTo("5001");
		assertThat(DialogListReader.userOf("sip:10.0.0.1")).isEmpty();
	}

	/** The calls a DN is in: either party, or tagged with it by a dialog profile. */
	private static List<ActiveCall> callsOf(ActiveCalls calls, String dn) {
		return calls.all().stream().filter((call) -> call.dns().contains(dn)).toList();
	}

}
