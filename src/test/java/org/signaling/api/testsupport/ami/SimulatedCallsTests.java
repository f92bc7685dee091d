package org.signaling.api.testsupport.ami;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.signaling.api.testsupport.ami.RawAmiClient.header;

/** The double's Originate, Hangup and CoreShowChannels, and its call scripts, checked on the wire (§2). */
class SimulatedCallsTests {

	private static final String CALL_ID = "call-0123456789abcdef0123456789abcdef";

	private AmiServerDouble ami;

	private RawAmiClient client;

	@BeforeEach
	void start() throws IOException {
		ami = AmiServerDouble.start("svc", "secret");
		client = RawAmiClient.loggedIn(ami, "svc", "secret");
	}

	@AfterEach
	void close() throws IOException {
		client.close();
		ami.close();
	}

	@Test
	void queuesAnAsyncOriginateThenPlaysAnswerAndBridgeWithTheActionIdOnOriginateResponse() throws IOException {
		client.write(originate("1_3#" + CALL_ID, CALL_ID));

		assertThat(client.readMessage()).isEqualTo(
				"Response: Success\r\nActionID: 1_3#" + CALL_ID + "\r\nMessage: Originate successfully queued\r\n\r\n");
		List<String> events = readEvents(11);
		assertThat(events).extracting(e -> header(e, "Event"))
			.containsExactly("Newchannel", "DialBegin", "Newstate", "Newstate", "DialEnd", "OriginateResponse",
					"Newchannel", "DialBegin", "Newstate", "DialState", "Newstate");
		List<String> rest = readEvents(4);
		assertThat(rest).extracting(e -> header(e, "Event"))
			.containsExactly("DialEnd", "BridgeCreate", "BridgeEnter", "BridgeEnter");

		assertThat(events.get(0)).contains("Channel: PJSIP/5001-00000007\r\n", "ChannelState: 0\r\n",
				"Uniqueid: " + CALL_ID + "\r\n", "Linkedid: " + CALL_ID + "\r\n", "CallerIDNum: 5551234567\r\n");
		assertThat(events.get(3)).contains("ChannelState: 6\r\n", "ChannelStateDesc: Up\r\n");
		assertThat(events.get(5)).startsWith("Event: OriginateResponse\r\nPrivilege: call,all\r\nActionID: 1_3#"
				+ CALL_ID + "\r\nResponse: Success\r\nChannel: PJSIP/5001-00000007\r\n")
			.contains("Reason: 4\r\n", "Uniqueid: " + CALL_ID + "\r\n");
		String customer = events.get(6);
		assertThat(header(customer, "Channel")).isEqualTo("PJSIP/genesys-00000008");
		assertThat(header(customer, "Uniqueid")).matches("[0-9]+\\.[0-9]+");
		assertThat(header(customer, "Linkedid")).isEqualTo(CALL_ID);
		assertThat(header(customer, "CallerIDNum")).isEqualTo("4930123456");
		assertThat(events.get(9)).contains("DialStatus: RINGING\r\n", "DestChannel: PJSIP/genesys-00000008\r\n",
				"Channel: PJSIP/5001-00000007\r\n");
		assertThat(header(rest.get(3), "BridgeNumChannels")).isEqualTo("2");
		assertThat(ami.calls().liveChannels()).extracting(SimulatedCalls.Channel::stateDesc)
			.containsExactly("Up", "Up");
	}

	@Test
	void refusesOriginatesAsteriskWouldRefuse() throws IOException {
		client.write("Action: Originate\r\nActionID: a\r\nAsync: true\r\n\r\n");
		assertThat(client.readMessage()).contains("Response: Error", "Message: Channel not specified");

		client.write("Action: Originate\r\nActionID: b\r\nChannel: 5001\r\nAsync: true\r\n\r\n");
		assertThat(client.readMessage()).contains("Message: Invalid channel");

		client.write("Action: Originate\r\nActionID: c\r\nChannel: PJSIP/5001\r\nTimeout: 30s\r\nAsync: true\r\n\r\n");
		assertThat(client.readMessage()).contains("Message: Invalid timeout");

		client.write("Action: Originate\r\nActionID: d\r\nChannel: PJSIP/5001\r\nChannelId: " + "x".repeat(150)
				+ "\r\nAsync: true\r\n\r\n");
		assertThat(client.readMessage()).contains("Message: Uniqueid length exceeds maximum of 149");

		client.write("Action: Originate\r\nActionID: e\r\nChannel: PJSIP/5001\r\n\r\n");
		assertThat(client.readMessage()).contains("Response: Error", "Synchronous Originate is not simulated");

		assertThat(ami.calls().liveChannels()).isEmpty();
	}

	@Test
	void failsAnOriginateWhoseChannelIdIsInUse() throws IOException {
		ami.calls().defaultScript(CallScript.AGENT_RINGING_FOREVER);
		client.write(originate("o1", CALL_ID));
		client.readMessage();
		readEvents(3);

		client.write(originate("o2", CALL_ID));

		assertThat(client.readMessage()).contains("Response: Success");
		String failure = client.readMessage();
		assertThat(failure).contains("Event: OriginateResponse", "ActionID: o2", "Response: Failure", "Reason: 0",
				"Channel: PJSIP/5001@kamailio");
		assertThat(ami.calls().liveChannels()).hasSize(1);
	}

	@Test
	void playsTheBusyScriptWithCause17AndReason5() throws IOException {
		ami.calls().script(CALL_ID, CallScript.AGENT_BUSY);
		client.write(originate("o1", CALL_ID));
		client.readMessage();

		List<String> events = readEvents(5);

		assertThat(events).extracting(e -> header(e, "Event"))
			.containsExactly("Newchannel", "DialBegin", "DialEnd", "Hangup", "OriginateResponse");
		assertThat(events.get(2)).contains("DialStatus: BUSY");
		assertThat(events.get(3)).contains("Cause: 17\r\n", "Cause-txt: User busy\r\n");
		// on failure, Channel is the requested dial string
		assertThat(events.get(4)).contains("Response: Failure", "Reason: 5", "Channel: PJSIP/5001@kamailio",
				"Uniqueid: " + CALL_ID);
		assertThat(ami.calls().liveChannels()).isEmpty();
	}

	@Test
	void hangsUpByUniqueIdEndingBothLegs() throws IOException {
		client.write(originate("o1", CALL_ID));
		client.readMessage();
		readEvents(15);

		client.write("Action: Hangup\r\nActionID: h1\r\nChannel: " + CALL_ID + "\r\nCause: 16\r\n\r\n");

		assertThat(client.readMessage())
			.isEqualTo("Response: Success\r\nActionID: h1\r\nMessage: Channel Hungup\r\n\r\n");
		List<String> events = readEvents(5);
		assertThat(events).extracting(e -> header(e, "Event"))
			.containsExactly("BridgeLeave", "BridgeLeave", "BridgeDestroy", "Hangup", "Hangup");
		assertThat(events.get(3)).contains("Uniqueid: " + CALL_ID, "Cause: 16\r\n", "Cause-txt: Normal Clearing");
		assertThat(events.get(4)).contains("Channel: PJSIP/genesys-00000008", "Cause: 16\r\n");
		assertThat(ami.calls().isLive(CALL_ID)).isFalse();

		client.write("Action: Hangup\r\nActionID: h2\r\nChannel: " + CALL_ID + "\r\n\r\n");
		assertThat(client.readMessage())
			.isEqualTo("Response: Error\r\nActionID: h2\r\nMessage: No such channel\r\n\r\n");
	}

	@Test
	void hangsUpByChannelNameAndReportsAHangupBeforeAnswerAsReason1() throws IOException {
		ami.calls().defaultScript(CallScript.AGENT_RINGING_FOREVER);
		client.write(originate("o1", CALL_ID));
		client.readMessage();
		readEvents(3);

		client.write("Action: Hangup\r\nActionID: h1\r\nChannel: PJSIP/5001-00000007\r\n\r\n");

		assertThat(client.readMessage()).contains("Response: Success");
		assertThat(readEvents(2)).extracting(e -> header(e, "Event") + " " + header(e, "Reason"))
			.containsExactly("Hangup null", "OriginateResponse 1");
	}

	@Test
	void recordsARegexHangupButNeverActsOnIt() throws IOException {
		client.write(originate("o1", CALL_ID));
		client.readMessage();
		readEvents(15);

		client.write("Action: Hangup\r\nActionID: h1\r\nChannel: /.*/\r\n\r\n");

		assertThat(client.readMessage()).contains("Response: Error", "Regex hangup is not simulated");
		assertThat(ami.calls().liveChannels()).hasSize(2);
		assertThat(ami.receivedActions("Hangup")).singleElement()
			.satisfies(hangup -> assertThat(hangup.get("Channel")).isEqualTo("/.*/"));
	}

	@Test
	void listsLiveChannelsWithCoreShowChannels() throws IOException {
		client.write(originate("o1", CALL_ID));
		client.readMessage();
		readEvents(15);
		ami.calls().addForeignChannel("PJSIP/6000-00000042", "1718000000.42", "1718000000.42");

		client.write("Action: CoreShowChannels\r\nActionID: s1\r\n\r\n");

		assertThat(client.readMessage()).isEqualTo(
				"Response: Success\r\nActionID: s1\r\nEventList: start\r\nMessage: Channels will follow\r\n\r\n");
		List<String> items = List.of(client.readMessage(), client.readMessage(), client.readMessage());
		assertThat(items).allSatisfy(item -> assertThat(item).startsWith("Event: CoreShowChannel\r\nActionID: s1\r\n")
			.doesNotContain("Privilege:"));
		assertThat(items).extracting(i -> header(i, "Uniqueid") + " " + header(i, "Linkedid"))
			.containsExactly(CALL_ID + " " + CALL_ID, ami.calls().customerUniqueId(CALL_ID) + " " + CALL_ID,
					"1718000000.42 1718000000.42");
		assertThat(header(items.get(0), "Application")).isEqualTo("Dial");
		assertThat(header(items.get(0), "BridgeId")).isNotEmpty();
		assertThat(client.readMessage()).isEqualTo(
				"Event: CoreShowChannelsComplete\r\nActionID: s1\r\nEventList: Complete\r\nListItems: 3\r\n\r\n");
	}

	@Test
	void truncatesAChannelListByClosingTheConnection() throws IOException {
		client.write(originate("o1", CALL_ID));
		client.readMessage();
		readEvents(15);
		ami.calls().truncateNextChannelList(1);

		client.write("Action: CoreShowChannels\r\nActionID: s1\r\n\r\n");

		assertThat(client.readMessage()).contains("EventList: start");
		assertThat(client.readMessage()).startsWith("Event: CoreShowChannel\r\n");
		assertThat(client.readLine()).isNull();
		assertThat(ami.calls().liveChannels()).hasSize(2);
	}

	@Test
	void endsACallFromTheFarSideCustomerLegFirst() throws IOException {
		client.write(originate("o1", CALL_ID));
		client.readMessage();
		readEvents(15);

		assertThat(ami.calls().hangupFromFarSide(CALL_ID)).isTrue();

		assertThat(readEvents(5)).extracting(e -> header(e, "Event") + " " + header(e, "Channel"))
			.containsExactly("BridgeLeave PJSIP/genesys-00000008", "BridgeLeave PJSIP/5001-00000007",
					"BridgeDestroy null", "Hangup PJSIP/genesys-00000008", "Hangup PJSIP/5001-00000007");
		assertThat(ami.calls().hangupFromFarSide(CALL_ID)).isFalse();
	}

	@Test
	void suppressesAnEventTypeWhileTheModelStillChanges() throws IOException {
		client.write(originate("o1", CALL_ID));
		client.readMessage();
		readEvents(15);
		ami.calls().suppressEvents("Hangup");

		ami.calls().hangupFromFarSide(CALL_ID);
		ami.pushEvent(AmiMessage.event("Marker"));

		assertThat(readEvents(4)).extracting(e -> header(e, "Event"))
			.containsExactly("BridgeLeave", "BridgeLeave", "BridgeDestroy", "Marker");
		assertThat(ami.calls().liveChannels()).isEmpty();
	}

	@Test
	void stepsAScriptByHandInManualMode() throws IOException {
		ami.calls().manualStepping(true);
		client.write(originate("o1", CALL_ID));
		assertThat(client.readMessage()).contains("Originate successfully queued");
		assertThat(ami.calls().pendingSteps(CALL_ID)).isEqualTo(7);

		assertThat(ami.calls().step(CALL_ID)).isTrue();
		assertThat(readEvents(2)).extracting(e -> header(e, "Event")).containsExactly("Newchannel", "DialBegin");
		assertThat(ami.calls().step(CALL_ID)).isTrue();
		assertThat(header(client.readMessage(), "ChannelStateDesc")).isEqualTo("Ringing");

		assertThat(ami.calls().runToEnd(CALL_ID)).isEqualTo(5);
		assertThat(ami.calls().step(CALL_ID)).isFalse();
		assertThat(ami.calls().liveChannels()).hasSize(2);
	}

	@Test
	void keepsCallsUpWhenAmiConnectionsDrop() throws IOException {
		client.write(originate("o1", CALL_ID));
		client.readMessage();
		readEvents(15);

		ami.dropAllConnections();

		assertThat(ami.calls().isLive(CALL_ID)).isTrue();
		try (RawAmiClient again = RawAmiClient.loggedIn(ami, "svc", "secret")) {
			again.write("Action: Hangup\r\nActionID: h\r\nChannel: " + CALL_ID + "\r\n\r\n");
			assertThat(again.readMessage()).contains("Channel Hungup");
		}
	}

	// --- hold and unhold

	@Test
	void holdsWithADualRedirectThenUnholdsWithBridge() throws IOException {
		String customer = answeredCall();
		String before = ami.calls().bridgeOf(customer);

		client.write("Action: Redirect\r\nActionID: r1\r\nChannel: " + customer + "\r\nContext: signaling-hold\r\n"
				+ "Exten: customer\r\nPriority: 1\r\nExtraChannel: " + CALL_ID + "\r\nExtraContext: signaling-hold\r\n"
				+ "ExtraExten: agent\r\nExtraPriority: 1\r\n\r\n");

		assertThat(client.readMessage())
			.isEqualTo("Response: Success\r\nActionID: r1\r\nMessage: Dual Redirect successful\r\n\r\n");
		List<String> hold = readEvents(4);
		assertThat(hold).extracting(e -> header(e, "Event") + " " + header(e, "BridgeNumChannels"))
			.containsExactly("BridgeLeave 1", "BridgeLeave 0", "BridgeDestroy 0", "MusicOnHoldStart null");
		assertThat(hold.get(2)).contains("BridgeUniqueid: " + before + "\r\n");
		assertThat(hold.get(3)).startsWith("Event: MusicOnHoldStart\r\nPrivilege: call,all\r\nChannel: PJSIP/genesys-")
			.contains("Context: signaling-hold\r\n", "Exten: customer\r\n", "Uniqueid: " + customer + "\r\n",
					"Linkedid: " + CALL_ID + "\r\n")
			.endsWith("Class: default\r\n\r\n");
		assertThat(ami.calls().isHeld(CALL_ID)).isTrue();
		assertThat(ami.calls().bridgeOf(customer)).isEmpty();
		assertThat(ami.calls().bridgeOf(CALL_ID)).isEmpty();

		client.write("Action: Bridge\r\nActionID: b1\r\nChannel1: " + CALL_ID + "\r\nChannel2: " + customer
				+ "\r\nTone: no\r\n\r\n");

		assertThat(client.readMessage())
			.isEqualTo("Response: Success\r\nActionID: b1\r\nMessage: Channels have been bridged\r\n\r\n");
		List<String> unhold = readEvents(4);
		assertThat(unhold).extracting(e -> header(e, "Event") + " " + header(e, "Uniqueid"))
			.containsExactly("MusicOnHoldStop " + customer, "BridgeCreate null", "BridgeEnter " + CALL_ID,
					"BridgeEnter " + customer);
		assertThat(header(unhold.get(3), "BridgeNumChannels")).isEqualTo("2");
		assertThat(ami.calls().isHeld(CALL_ID)).isFalse();
		assertThat(ami.calls().bridgeOf(CALL_ID)).isEqualTo(header(unhold.get(1), "BridgeUniqueid"))
			.isEqualTo(ami.calls().bridgeOf(customer))
			.isNotEqualTo(before);
	}

	@Test
	void redirectsASingleChannelAndRefusesWhatAsteriskRefuses() throws IOException {
		String customer = answeredCall();

		assertThat(ask("Action: Redirect\r\nActionID: e1\r\nContext: c\r\nExten: x\r\nPriority: 1\r\n\r\n"))
			.isEqualTo(error("e1", "Channel not specified"));
		assertThat(ask("Action: Redirect\r\nActionID: e2\r\nChannel: " + customer
				+ "\r\nExten: x\r\nPriority: 1\r\n\r\n"))
			.isEqualTo(error("e2", "Context not specified"));
		assertThat(ask("Action: Redirect\r\nActionID: e3\r\nChannel: " + customer
				+ "\r\nContext: c\r\nPriority: 1\r\n\r\n"))
			.isEqualTo(error("e3", "Exten not specified"));
		assertThat(ask("Action: Redirect\r\nActionID: e4\r\nChannel: " + customer
				+ "\r\nContext: c\r\nExten: x\r\n\r\n"))
			.isEqualTo(error("e4", "Priority not specified"));
		assertThat(ask("Action: Redirect\r\nActionID: e5\r\nChannel: " + customer
				+ "\r\nContext: c\r\nExten: x\r\nPriority: first\r\n\r\n"))
			.isEqualTo(error("e5", "Priority is invalid"));
		assertThat(ask("Action: Redirect\r\nActionID: e6\r\nChannel: nope\r\nContext: c\r\nExten: x\r\n"
				+ "Priority: 1\r\n\r\n"))
			.isEqualTo(error("e6", "Channel does not exist: nope"));
		assertThat(ask("Action: Redirect\r\nActionID: e7\r\nChannel: " + customer
				+ "\r\nContext: c\r\nExten: x\r\nPriority: 1\r\nExtraChannel: nope\r\n\r\n"))
			.isEqualTo(error("e7", "ExtraChannel does not exist: nope"));
		assertThat(ask("Action: Redirect\r\nActionID: e8\r\nChannel: " + customer
				+ "\r\nContext: c\r\nExten: x\r\nPriority: 1\r\nExtraChannel: " + CALL_ID
				+ "\r\nExtraContext: c\r\n\r\n"))
			.isEqualTo(error("e8", "ExtraExten not specified"));
		assertThat(ask("Action: Bridge\r\nActionID: e9\r\nChannel1: " + CALL_ID + "\r\n\r\n"))
			.isEqualTo(error("e9", "Missing channel parameter in request"));
		assertThat(ask("Action: Bridge\r\nActionID: e10\r\nChannel1: nope\r\nChannel2: " + customer + "\r\n\r\n"))
			.isEqualTo(error("e10", "Channel1 does not exist: nope"));
		assertThat(ask("Action: Bridge\r\nActionID: e11\r\nChannel1: " + CALL_ID + "\r\nChannel2: nope\r\n\r\n"))
			.isEqualTo(error("e11", "Channel2 does not exist: nope"));

		// by channel name: the customer alone leaves the bridge; the agent stays in it
		client.write("Action: Redirect\r\nActionID: r1\r\nChannel: " + ami.calls().customerChannel(CALL_ID)
				+ "\r\nContext: signaling-hold\r\nExten: customer\r\nPriority: 1\r\n\r\n");

		assertThat(client.readMessage())
			.isEqualTo("Response: Success\r\nActionID: r1\r\nMessage: Redirect successful\r\n\r\n");
		assertThat(readEvents(2)).extracting(e -> header(e, "Event") + " " + header(e, "BridgeNumChannels"))
			.containsExactly("BridgeLeave 1", "MusicOnHoldStart null");
		assertThat(ami.calls().bridgeOf(CALL_ID)).isNotEmpty();
		assertThat(ami.calls().isHeld(CALL_ID)).isTrue();
	}

	// --- media

	@Test
	void playsDtmfSentAndReceivedAndKeepsTheDigits() throws IOException {
		String customer = answeredCall();

		client.write("Action: PlayDTMF\r\nActionID: d1\r\nChannel: " + customer
				+ "\r\nDigit: 5\r\nDuration: 250\r\n\r\n");

		assertThat(client.readMessage())
			.isEqualTo("Response: Success\r\nActionID: d1\r\nMessage: DTMF successfully queued\r\n\r\n");
		List<String> sent = readEvents(2);
		assertThat(sent.get(0)).startsWith("Event: DTMFBegin\r\nPrivilege: dtmf,all\r\nChannel: PJSIP/genesys-")
			.contains("Uniqueid: " + customer + "\r\n")
			.endsWith("Digit: 5\r\nDirection: Sent\r\n\r\n");
		assertThat(sent.get(1)).startsWith("Event: DTMFEnd\r\nPrivilege: dtmf,all\r\n")
			.endsWith("Digit: 5\r\nDurationMs: 250\r\nDirection: Sent\r\n\r\n");

		client.write("Action: PlayDTMF\r\nActionID: d2\r\nChannel: " + customer + "\r\nDigit: #9\r\n\r\n");
		assertThat(client.readMessage()).contains("DTMF successfully queued");
		assertThat(readEvents(2).get(1)).endsWith("Digit: #\r\nDurationMs: 100\r\nDirection: Sent\r\n\r\n");

		client.write("Action: PlayDTMF\r\nActionID: d3\r\nChannel: " + CALL_ID
				+ "\r\nDigit: 1\r\nReceive: true\r\n\r\n");
		assertThat(client.readMessage()).contains("DTMF successfully queued");
		assertThat(readEvents(2)).extracting(e -> header(e, "Event") + " " + header(e, "Direction"))
			.containsExactly("DTMFBegin Received", "DTMFEnd Received");

		assertThat(ami.calls().dtmfSent(customer)).isEqualTo("5#");
		assertThat(ami.calls().dtmfReceived(customer)).isEmpty();
		assertThat(ami.calls().dtmfReceived(CALL_ID)).isEqualTo("1");

		assertThat(ask("Action: PlayDTMF\r\nActionID: e1\r\nDigit: 1\r\n\r\n"))
			.isEqualTo(error("e1", "Channel not found"));
		assertThat(ask("Action: PlayDTMF\r\nActionID: e2\r\nChannel: nope\r\nDigit: 1\r\n\r\n"))
			.isEqualTo(error("e2", "Channel not found"));
		assertThat(ask("Action: PlayDTMF\r\nActionID: e3\r\nChannel: " + customer + "\r\n\r\n"))
			.isEqualTo(error("e3", "No digit specified"));
		assertThat(ask("Action: PlayDTMF\r\nActionID: e4\r\nChannel: " + customer
				+ "\r\nDigit: 1\r\nDuration: long\r\n\r\n"))
			.isEqualTo(error("e4", "Could not convert Duration parameter"));
	}

	@Test
	void mutesAudioWithoutAnEventAndRefusesWhatAsteriskRefuses() throws IOException {
		answeredCall();

		client.write("Action: MuteAudio\r\nActionID: m1\r\nChannel: " + CALL_ID
				+ "\r\nDirection: in\r\nState: on\r\n\r\n");

		assertThat(client.readMessage()).isEqualTo("Response: Success\r\nActionID: m1\r\n\r\n");
		assertThat(ami.calls().audioMute(CALL_ID)).isEqualTo(new SimulatedCalls.AudioMute(true, false));
		assertThat(ask("Action: MuteAudio\r\nActionID: m2\r\nChannel: " + CALL_ID
				+ "\r\nDirection: all\r\nState: off\r\n\r\n")).isEqualTo("Response: Success\r\nActionID: m2\r\n\r\n");
		assertThat(ami.calls().audioMute(CALL_ID)).isEqualTo(new SimulatedCalls.AudioMute(false, false));
		ask("Action: MuteAudio\r\nActionID: m3\r\nChannel: " + CALL_ID + "\r\nDirection: out\r\nState: on\r\n\r\n");
		assertThat(ami.calls().audioMute(CALL_ID)).isEqualTo(new SimulatedCalls.AudioMute(false, true));
		ami.pushEvent(AmiMessage.event("Marker"));
		assertThat(client.readMessage()).startsWith("Event: Marker");

		assertThat(ask("Action: MuteAudio\r\nActionID: e1\r\nDirection: in\r\nState: on\r\n\r\n"))
			.isEqualTo(error("e1", "Channel not specified"));
		assertThat(ask("Action: MuteAudio\r\nActionID: e2\r\nChannel: " + CALL_ID + "\r\nDirection: in\r\n\r\n"))
			.isEqualTo(error("e2", "State not specified"));
		assertThat(ask("Action: MuteAudio\r\nActionID: e3\r\nChannel: " + CALL_ID + "\r\nState: on\r\n\r\n"))
			.isEqualTo(error("e3", "Direction not specified"));
		assertThat(ask("Action: MuteAudio\r\nActionID: e4\r\nChannel: nope\r\nDirection: in\r\nState: on\r\n\r\n"))
			.isEqualTo(error("e4", "No such channel"));
		assertThat(ask("Action: MuteAudio\r\nActionID: e5\r\nChannel: " + CALL_ID
				+ "\r\nDirection: IN\r\nState: on\r\n\r\n")).isEqualTo(error("e5", "Failed to mute/unmute stream"));
	}

	@Test
	void setvarWritesTheMuteAudioFunctionAndRefusesWhatAsteriskRefuses() throws IOException {
		answeredCall();

		assertThat(ask("Action: Setvar\r\nActionID: s1\r\nChannel: " + CALL_ID
				+ "\r\nVariable: MUTEAUDIO(in)\r\nValue: on\r\n\r\n"))
			.isEqualTo("Response: Success\r\nActionID: s1\r\nMessage: Variable Set\r\n\r\n");
		assertThat(ami.calls().audioMute(CALL_ID)).isEqualTo(new SimulatedCalls.AudioMute(true, false));
		ask("Action: Setvar\r\nActionID: s2\r\nChannel: " + CALL_ID
				+ "\r\nVariable: MUTEAUDIO(all)\r\nValue: off\r\n\r\n");
		assertThat(ami.calls().audioMute(CALL_ID)).isEqualTo(new SimulatedCalls.AudioMute(false, false));

		assertThat(ask("Action: Setvar\r\nActionID: e1\r\nChannel: " + CALL_ID + "\r\nValue: on\r\n\r\n"))
			.isEqualTo(error("e1", "No variable specified"));
		assertThat(ask("Action: Setvar\r\nActionID: e2\r\nChannel: nope\r\nVariable: MUTEAUDIO(in)\r\n"
				+ "Value: on\r\n\r\n")).isEqualTo(error("e2", "No such channel"));
		assertThat(ask("Action: Setvar\r\nActionID: e3\r\nChannel: " + CALL_ID
				+ "\r\nVariable: MUTEAUDIO(up)\r\nValue: on\r\n\r\n")).isEqualTo(error("e3", "Variable not set"));
	}

	@Test
	void recordsMutesAndStopsAMixMonitor() throws IOException {
		String customer = answeredCall();

		client.write("Action: MixMonitor\r\nActionID: x1\r\nChannel: " + CALL_ID
				+ "\r\nFile: call-0123.wav\r\nOptions: bi(MIXMON_ID)\r\n\r\n");

		String started = client.readMessage();
		String id = header(started, "MixMonitorID");
		assertThat(started).isEqualTo("Response: Success\r\nActionID: x1\r\nMixMonitorID: " + id + "\r\n\r\n");
		assertThat(id).isNotEmpty();
		assertThat(client.readMessage()).startsWith("Event: MixMonitorStart\r\nPrivilege: call,all\r\n")
			.contains("Channel: PJSIP/5001-00000007\r\n", "Uniqueid: " + CALL_ID + "\r\n");
		assertThat(ami.calls().recordingFile(CALL_ID)).isEqualTo("call-0123.wav");
		assertThat(ami.calls().isRecording(CALL_ID)).isTrue();

		// without i(VAR) Asterisk returns no id
		assertThat(ask("Action: MixMonitor\r\nActionID: x0\r\nChannel: " + customer + "\r\nFile: other.wav\r\n\r\n"))
			.isEqualTo("Response: Success\r\nActionID: x0\r\n\r\n");
		assertThat(client.readMessage()).startsWith("Event: MixMonitorStart\r\n");

		client.write("Action: MixMonitorMute\r\nActionID: x2\r\nChannel: " + CALL_ID
				+ "\r\nDirection: both\r\nState: 1\r\n\r\n");
		assertThat(client.readMessage()).isEqualTo("Response: Success\r\nActionID: x2\r\n\r\n");
		assertThat(client.readMessage()).startsWith("Event: MixMonitorMute\r\nPrivilege: call,all\r\n")
			.endsWith("Linkedid: " + CALL_ID + "\r\nDirection: both\r\nState: 1\r\n\r\n");
		assertThat(ami.calls().isRecordingMuted(CALL_ID)).isTrue();
		client.write("Action: MixMonitorMute\r\nActionID: x3\r\nChannel: " + CALL_ID
				+ "\r\nDirection: read\r\nState: 0\r\n\r\n");
		client.readMessage();
		assertThat(client.readMessage()).endsWith("Direction: read\r\nState: 0\r\n\r\n");
		assertThat(ami.calls().recordings(CALL_ID)).singleElement()
			.isEqualTo(new SimulatedCalls.Recording(id, "call-0123.wav", true, false, true));

		client.write("Action: StopMixMonitor\r\nActionID: x4\r\nChannel: " + CALL_ID + "\r\nMixMonitorID: " + id
				+ "\r\n\r\n");
		assertThat(client.readMessage()).isEqualTo("Response: Success\r\nActionID: x4\r\n\r\n");
		assertThat(client.readMessage()).startsWith("Event: MixMonitorStop\r\nPrivilege: call,all\r\n")
			.contains("Uniqueid: " + CALL_ID + "\r\n");
		assertThat(ami.calls().isRecording(CALL_ID)).isFalse();
		assertThat(ami.calls().recordingFile(customer)).isEqualTo("other.wav");

		assertThat(ask("Action: StopMixMonitor\r\nActionID: e1\r\nChannel: " + CALL_ID + "\r\n\r\n"))
			.isEqualTo(error("e1", "Could not stop monitoring channel"));
		assertThat(ask("Action: StopMixMonitor\r\nActionID: e2\r\nChannel: nope\r\n\r\n"))
			.isEqualTo(error("e2", "No such channel"));
		assertThat(ask("Action: MixMonitor\r\nActionID: e3\r\nFile: a.wav\r\n\r\n"))
			.isEqualTo(error("e3", "No channel specified"));
		assertThat(ask("Action: MixMonitor\r\nActionID: e4\r\nChannel: nope\r\nFile: a.wav\r\n\r\n"))
			.isEqualTo(error("e4", "No such channel"));
		assertThat(ask("Action: MixMonitor\r\nActionID: e5\r\nChannel: " + CALL_ID + "\r\n\r\n"))
			.isEqualTo(error("e5", "Could not start monitoring channel"));
		assertThat(ask("Action: MixMonitorMute\r\nActionID: e6\r\nChannel: " + CALL_ID + "\r\nState: 1\r\n\r\n"))
			.isEqualTo(error("e6", "No direction specified. Must be read, write or both"));
		assertThat(ask("Action: MixMonitorMute\r\nActionID: e7\r\nChannel: " + CALL_ID
				+ "\r\nDirection: up\r\nState: 1\r\n\r\n"))
			.isEqualTo(error("e7", "Invalid direction specified. Must be read, write or both"));
		assertThat(ask("Action: MixMonitorMute\r\nActionID: e8\r\nChannel: " + CALL_ID + "\r\nDirection: read\r\n\r\n"))
			.isEqualTo(error("e8", "No state specified"));
		assertThat(ask("Action: MixMonitorMute\r\nActionID: e9\r\nChannel: " + CALL_ID
				+ "\r\nDirection: read\r\nState: 1\r\n\r\n")).isEqualTo(error("e9", "Cannot set mute flag"));
	}

	// --- transfers

	@Test
	void blindTransfersTheCustomerAndHangsUpTheAgentAlone() throws IOException {
		String customer = answeredCall();
		String bridge = ami.calls().bridgeOf(customer);

		client.write("Action: BlindTransfer\r\nActionID: t1\r\nChannel: " + CALL_ID
				+ "\r\nExten: 4930999\r\nContext: transfer-out\r\n\r\n");

		assertThat(client.readMessage())
			.isEqualTo("Response: Success\r\nActionID: t1\r\nMessage: Transfer succeeded\r\n\r\n");
		List<String> events = readEvents(5);
		assertThat(events).extracting(e -> header(e, "Event") + " " + header(e, "Uniqueid"))
			.containsExactly("BlindTransfer null", "BridgeLeave " + CALL_ID, "BridgeLeave " + customer,
					"BridgeDestroy null", "Hangup " + CALL_ID);
		assertThat(events.get(0))
			.startsWith("Event: BlindTransfer\r\nPrivilege: call,all\r\nResult: Success\r\n"
					+ "TransfererChannel: PJSIP/5001-00000007\r\n")
			.contains("TransfererUniqueid: " + CALL_ID + "\r\n", "TransfereeChannel: PJSIP/genesys-00000008\r\n",
					"TransfereeUniqueid: " + customer + "\r\nTransfereeLinkedid: " + CALL_ID + "\r\nBridgeUniqueid: "
							+ bridge + "\r\n",
					"BridgeNumChannels: 2\r\n")
			.endsWith("IsExternal: No\r\nContext: transfer-out\r\nExtension: 4930999\r\n\r\n");
		assertThat(events.get(4)).contains("Cause: 16\r\n");
		assertThat(ami.calls().liveChannels()).extracting(SimulatedCalls.Channel::uniqueId).containsExactly(customer);
		assertThat(ami.calls().isLive(CALL_ID)).isTrue();

		// the customer is in no bridge now: Asterisk finds nothing to transfer
		client.write("Action: BlindTransfer\r\nActionID: t2\r\nChannel: " + customer + "\r\nExten: 1\r\n\r\n");
		assertThat(client.readMessage()).isEqualTo(error("t2", "Transfer invalid"));
		assertThat(client.readMessage())
			.startsWith("Event: BlindTransfer\r\nPrivilege: call,all\r\nResult: Invalid\r\n")
			.doesNotContain("Transferee")
			.endsWith("IsExternal: No\r\nContext: transfer-out\r\nExtension: 1\r\n\r\n");

		assertThat(ask("Action: BlindTransfer\r\nActionID: e1\r\nExten: 1\r\n\r\n"))
			.isEqualTo(error("e1", "No channel specified"));
		assertThat(ask("Action: BlindTransfer\r\nActionID: e2\r\nChannel: " + customer + "\r\n\r\n"))
			.isEqualTo(error("e2", "No extension specified"));
		assertThat(ask("Action: BlindTransfer\r\nActionID: e3\r\nChannel: nope\r\nExten: 1\r\n\r\n"))
			.isEqualTo(error("e3", "Channel specified does not exist"));
	}

	@Test
	void completesAnAttendedTransferWhenTheAgentHangsUp() throws IOException {
		String customer = answeredCall();
		String original = ami.calls().bridgeOf(customer);

		client.write("Action: Atxfer\r\nActionID: a1\r\nChannel: " + CALL_ID
				+ "\r\nExten: 4930777\r\nContext: transfer-out\r\n\r\n");

		assertThat(client.readMessage())
			.isEqualTo("Response: Success\r\nActionID: a1\r\nMessage: Atxfer successfully queued\r\n\r\n");
		List<String> consult = readEvents(11);
		assertThat(consult).extracting(e -> header(e, "Event"))
			.containsExactly("BridgeLeave", "MusicOnHoldStart", "BridgeCreate", "BridgeEnter", "Newchannel",
					"DialBegin", "Newstate", "DialState", "Newstate", "DialEnd", "BridgeEnter");
		String target = ami.calls().transferTargetUniqueId(CALL_ID);
		String consultation = header(consult.get(2), "BridgeUniqueid");
		assertThat(consult.get(0)).contains("BridgeUniqueid: " + original, "Uniqueid: " + CALL_ID);
		assertThat(consult.get(1)).contains("Uniqueid: " + customer, "Class: default");
		assertThat(consult.get(4)).contains("Channel: PJSIP/genesys-00000009\r\n", "Exten: 4930777\r\n",
				"Uniqueid: " + target + "\r\n", "Linkedid: " + CALL_ID + "\r\n");
		assertThat(consult.get(5)).contains("Uniqueid: " + CALL_ID + "\r\n", "DestUniqueid: " + target + "\r\n",
				"DialString: 4930777@genesys\r\n");
		assertThat(consult.get(9)).contains("DialStatus: ANSWER");
		assertThat(consult.get(10)).contains("BridgeUniqueid: " + consultation, "BridgeNumChannels: 2",
				"Uniqueid: " + target);
		assertThat(ami.calls().isHeld(CALL_ID)).isTrue();

		client.write("Action: Hangup\r\nActionID: h1\r\nChannel: " + CALL_ID + "\r\n\r\n");

		assertThat(client.readMessage()).contains("Message: Channel Hungup");
		List<String> done = readEvents(7);
		assertThat(done).extracting(e -> header(e, "Event") + " " + header(e, "Uniqueid"))
			.containsExactly("AttendedTransfer null", "MusicOnHoldStop " + customer, "BridgeLeave " + CALL_ID,
					"BridgeLeave " + target, "BridgeDestroy null", "BridgeEnter " + target, "Hangup " + CALL_ID);
		assertThat(done.get(0)).startsWith("Event: AttendedTransfer\r\nPrivilege: call,all\r\nResult: Success\r\n"
				+ "OrigTransfererChannel: PJSIP/5001-00000007\r\n")
			.contains("OrigTransfererUniqueid: " + CALL_ID + "\r\n",
					"OrigBridgeUniqueid: " + original + "\r\n", "OrigBridgeNumChannels: 1\r\n",
					"SecondTransfererUniqueid: " + CALL_ID + "\r\n",
					"SecondBridgeUniqueid: " + consultation + "\r\n", "SecondBridgeNumChannels: 2\r\n",
					"TransfereeUniqueid: " + customer + "\r\n", "TransferTargetUniqueid: " + target + "\r\n",
					"TransferTargetChannelStateDesc: Up\r\n")
			.endsWith("IsExternal: No\r\nDestType: Bridge\r\nDestBridgeUniqueid: " + original + "\r\n\r\n");
		assertThat(header(done.get(5), "BridgeUniqueid")).isEqualTo(original);
		assertThat(header(done.get(5), "BridgeNumChannels")).isEqualTo("2");
		assertThat(ami.calls().isHeld(CALL_ID)).isFalse();
		assertThat(ami.calls().bridgeOf(target)).isEqualTo(original).isEqualTo(ami.calls().bridgeOf(customer));
		assertThat(ami.calls().liveChannels()).extracting(SimulatedCalls.Channel::uniqueId)
			.containsExactly(customer, target);

		// afterwards, the call ends as any other
		assertThat(ami.calls().hangupFromFarSide(CALL_ID)).isTrue();
		assertThat(readEvents(5)).extracting(e -> header(e, "Event"))
			.containsExactly("BridgeLeave", "BridgeLeave", "BridgeDestroy", "Hangup", "Hangup");
		assertThat(ami.calls().isLive(CALL_ID)).isFalse();
	}

	@Test
	void cancelsAnAttendedTransferAndBridgesAgentAndCustomerAgain() throws IOException {
		String customer = answeredCall();
		String original = ami.calls().bridgeOf(customer);
		ami.calls().transferTargetAnswers(false);
		client.write("Action: Atxfer\r\nActionID: a1\r\nChannel: " + CALL_ID + "\r\nExten: 4930777\r\n\r\n");
		client.readMessage();
		assertThat(readEvents(8)).extracting(e -> header(e, "Event"))
			.endsWith("Newchannel", "DialBegin", "Newstate", "DialState");
		String target = ami.calls().transferTargetUniqueId(CALL_ID);

		client.write("Action: CancelAtxfer\r\nActionID: c1\r\nChannel: " + CALL_ID + "\r\n\r\n");

		assertThat(client.readMessage())
			.isEqualTo("Response: Success\r\nActionID: c1\r\nMessage: CancelAtxfer successfully queued\r\n\r\n");
		List<String> events = readEvents(6);
		assertThat(events).extracting(e -> header(e, "Event") + " " + header(e, "Uniqueid"))
			.containsExactly("DialEnd " + CALL_ID, "Hangup " + target, "BridgeLeave " + CALL_ID, "BridgeDestroy null",
					"MusicOnHoldStop " + customer, "BridgeEnter " + CALL_ID);
		assertThat(events.get(0)).contains("DestUniqueid: " + target, "DialStatus: CANCEL");
		assertThat(events.get(5)).contains("BridgeUniqueid: " + original, "BridgeNumChannels: 2");
		assertThat(ami.calls().isLive(target)).isFalse();
		assertThat(ami.calls().isHeld(CALL_ID)).isFalse();
		assertThat(ami.calls().bridgeOf(CALL_ID)).isEqualTo(original);

		assertThat(ask("Action: CancelAtxfer\r\nActionID: e1\r\n\r\n")).isEqualTo(error("e1", "No channel specified"));
		assertThat(ask("Action: CancelAtxfer\r\nActionID: e2\r\nChannel: nope\r\n\r\n"))
			.isEqualTo(error("e2", "Channel specified does not exist"));
		assertThat(ask("Action: Atxfer\r\nActionID: e3\r\nChannel: " + CALL_ID + "\r\n\r\n"))
			.isEqualTo(error("e3", "No extension specified"));
		assertThat(ask("Action: Atxfer\r\nActionID: e4\r\nChannel: nope\r\nExten: 1\r\n\r\n"))
			.isEqualTo(error("e4", "Channel specified does not exist"));
	}

	@Test
	void completesABlondTransferWhenTheTargetAnswersAfterTheAgentHungUp() throws IOException {
		String customer = answeredCall();
		String original = ami.calls().bridgeOf(customer);
		ami.calls().transferTargetAnswers(false);
		client.write("Action: Atxfer\r\nActionID: a1\r\nChannel: " + CALL_ID + "\r\nExten: 4930777\r\n\r\n");
		client.readMessage();
		readEvents(8);
		String target = ami.calls().transferTargetUniqueId(CALL_ID);

		client.write("Action: Hangup\r\nActionID: h1\r\nChannel: " + CALL_ID + "\r\n\r\n");

		assertThat(client.readMessage()).contains("Channel Hungup");
		List<String> blond = readEvents(5);
		assertThat(blond).extracting(e -> header(e, "Event"))
			.containsExactly("AttendedTransfer", "MusicOnHoldStop", "BridgeLeave", "BridgeDestroy", "Hangup");
		assertThat(blond.get(0)).contains("SecondBridgeNumChannels: 1\r\n",
				"TransferTargetChannelStateDesc: Ringing\r\n",
				"DestBridgeUniqueid: " + original + "\r\n");
		assertThat(ami.calls().isLive(target)).isTrue();
		assertThat(ami.calls().bridgeOf(target)).isEmpty();

		assertThat(ami.calls().answerTransferTarget(CALL_ID)).isTrue();

		List<String> answered = readEvents(3);
		assertThat(answered).extracting(e -> header(e, "Event")).containsExactly("Newstate", "DialEnd", "BridgeEnter");
		assertThat(answered.get(2)).contains("BridgeUniqueid: " + original, "BridgeNumChannels: 2",
				"Uniqueid: " + target);
		assertThat(ami.calls().bridgeOf(customer)).isEqualTo(original);
		assertThat(ami.calls().answerTransferTarget(CALL_ID)).isFalse();
	}

	@Test
	void stepsAnAtxferByHandAndGivesTheCustomerBackWhenTheTargetDoesNotAnswer() throws IOException {
		String customer = answeredCall();
		ami.calls().manualStepping(true);
		client.write("Action: Atxfer\r\nActionID: a1\r\nChannel: " + CALL_ID + "\r\nExten: 4930777\r\n\r\n");
		assertThat(client.readMessage()).contains("Atxfer successfully queued");
		assertThat(readEvents(4)).extracting(e -> header(e, "Event"))
			.containsExactly("BridgeLeave", "MusicOnHoldStart", "BridgeCreate", "BridgeEnter");
		assertThat(ami.calls().pendingSteps(CALL_ID)).isEqualTo(3);

		ami.calls().step(CALL_ID);
		ami.calls().step(CALL_ID);
		assertThat(readEvents(4)).extracting(e -> header(e, "Event"))
			.containsExactly("Newchannel", "DialBegin", "Newstate", "DialState");
		String target = ami.calls().transferTargetUniqueId(CALL_ID);

		assertThat(ami.calls().hangupTransferTarget(CALL_ID)).isTrue();

		List<String> events = readEvents(6);
		assertThat(events).extracting(e -> header(e, "Event"))
			.containsExactly("DialEnd", "Hangup", "BridgeLeave", "BridgeDestroy", "MusicOnHoldStop", "BridgeEnter");
		assertThat(events.get(0)).contains("DialStatus: NOANSWER");
		assertThat(events.get(1)).contains("Uniqueid: " + target, "Cause: 19\r\n");
		assertThat(ami.calls().pendingSteps(CALL_ID)).isZero();
		assertThat(ami.calls().bridgeOf(CALL_ID)).isEqualTo(ami.calls().bridgeOf(customer)).isNotEmpty();
	}

	// --- monitors (ChanSpy)

	@Test
	void spiesOnTheAgentSwitchesModesByDtmfAndEndsAloneOnHangup() throws IOException {
		answeredCall();

		client.write(spy("s1", "mon-1", "qdE"));

		assertThat(client.readMessage())
			.isEqualTo("Response: Success\r\nActionID: s1\r\nMessage: Originate successfully queued\r\n\r\n");
		List<String> events = readEvents(7);
		assertThat(events).extracting(e -> header(e, "Event"))
			.containsExactly("Newchannel", "DialBegin", "Newstate", "Newstate", "DialEnd", "OriginateResponse",
					"ChanSpyStart");
		assertThat(events.get(0)).contains("Channel: PJSIP/6001-00000009\r\n", "Uniqueid: mon-1\r\n",
				"Linkedid: mon-1\r\n");
		assertThat(events.get(3)).contains("ChannelStateDesc: Up");
		assertThat(events.get(5)).contains("ActionID: s1\r\nResponse: Success\r\nChannel: PJSIP/6001-00000009\r\n"
				+ "Application: ChanSpy\r\nData: PJSIP/5001-00000007,qdE\r\nReason: 4\r\nUniqueid: mon-1\r\n");
		assertThat(events.get(6)).startsWith("Event: ChanSpyStart\r\nPrivilege: call,all\r\n"
				+ "SpyerChannel: PJSIP/6001-00000009\r\n")
			.contains("SpyerUniqueid: mon-1\r\nSpyerLinkedid: mon-1\r\nSpyeeChannel: PJSIP/5001-00000007\r\n",
					"SpyeeUniqueid: " + CALL_ID + "\r\nSpyeeLinkedid: " + CALL_ID + "\r\n");
		assertThat(ami.calls().spyMode("mon-1")).isEqualTo(SimulatedCalls.SpyMode.LISTEN);
		assertThat(ami.calls().spiedUniqueId("mon-1")).isEqualTo(CALL_ID);

		for (String digit : List.of("5", "6", "4")) {
			client.write("Action: PlayDTMF\r\nActionID: d" + digit + "\r\nChannel: mon-1\r\nDigit: " + digit
					+ "\r\nReceive: true\r\n\r\n");
			assertThat(client.readMessage()).contains("DTMF successfully queued");
			readEvents(2);
			assertThat(ami.calls().spyMode("mon-1")).isEqualTo(switch (digit) {
				case "5" -> SimulatedCalls.SpyMode.WHISPER;
				case "6" -> SimulatedCalls.SpyMode.BARGE;
				default -> SimulatedCalls.SpyMode.LISTEN;
			});
		}

		client.write("Action: Hangup\r\nActionID: h1\r\nChannel: mon-1\r\n\r\n");

		assertThat(client.readMessage()).contains("Channel Hungup");
		List<String> stop = readEvents(2);
		assertThat(stop).extracting(e -> header(e, "Event")).containsExactly("ChanSpyStop", "Hangup");
		assertThat(stop.get(0)).contains("SpyerUniqueid: mon-1\r\n", "SpyeeUniqueid: " + CALL_ID + "\r\n");
		assertThat(stop.get(1)).contains("Uniqueid: mon-1\r\n");
		assertThat(ami.calls().isLive("mon-1")).isFalse();
		assertThat(ami.calls().isLive(CALL_ID)).isTrue();
		assertThat(ami.calls().liveChannels()).hasSize(2);
	}

	@Test
	void endsWhisperingAndBargingSpiesWithTheSpiedCall() throws IOException {
		answeredCall();
		client.write(spy("s1", "mon-w", "qdEw"));
		client.readMessage();
		readEvents(7);
		client.write(spy("s2", "mon-b", "qdEB"));
		client.readMessage();
		readEvents(7);
		assertThat(ami.calls().spyMode("mon-w")).isEqualTo(SimulatedCalls.SpyMode.WHISPER);
		assertThat(ami.calls().spyMode("mon-b")).isEqualTo(SimulatedCalls.SpyMode.BARGE);

		ami.calls().hangupFromFarSide(CALL_ID);

		assertThat(readEvents(9)).extracting(e -> header(e, "Event") + " " + header(e, "Uniqueid"))
			.containsExactly("BridgeLeave " + ami.calls().customerUniqueId(CALL_ID), "BridgeLeave " + CALL_ID,
					"BridgeDestroy null", "Hangup " + ami.calls().customerUniqueId(CALL_ID), "Hangup " + CALL_ID,
					"ChanSpyStop null", "Hangup mon-w", "ChanSpyStop null", "Hangup mon-b");
		assertThat(ami.calls().isLive("mon-w")).isFalse();
		assertThat(ami.calls().isLive("mon-b")).isFalse();
		assertThat(ami.calls().liveChannels()).isEmpty();
	}

	// --- helpers

	private static String originate(String actionId, String channelId) {
		return "Action: Originate\r\nActionID: " + actionId + "\r\nChannel: PJSIP/5001@kamailio\r\n"
				+ "Context: click-to-dial\r\nExten: 5551234567\r\nPriority: 1\r\nTimeout: 30000\r\n"
				+ "CallerID: \"5551234567\" <5551234567>\r\nChannelId: " + channelId + "\r\nAsync: true\r\n"
				+ "Variable: SIGNALING_CALL_ID=" + channelId + "\r\nVariable: SIGNALING_CALLER_ID=4930123456\r\n"
				+ "Variable: PJSIP_HEADER(add,X-Call-Id)=" + channelId + "\r\n\r\n";
	}

	/** Places a call that answers and bridges, past its 15 events; returns the customer leg's Uniqueid. */
	private String answeredCall() throws IOException {
		client.write(originate("o1", CALL_ID));
		client.readMessage();
		readEvents(15);
		return ami.calls().customerUniqueId(CALL_ID);
	}

	private static String spy(String actionId, String monitorId, String options) {
		return "Action: Originate\r\nActionID: " + actionId + "\r\nChannel: PJSIP/6001@kamailio\r\n"
				+ "Application: ChanSpy\r\nData: PJSIP/5001-00000007," + options + "\r\nChannelId: " + monitorId
				+ "\r\nAsync: true\r\n\r\n";
	}

	/** Writes an action and reads the next message (its reply when the action writes no event first). */
	private String ask(String action) throws IOException {
		client.write(action);
		return client.readMessage();
	}

	private static String error(String actionId, String message) {
		return "Response: Error\r\nActionID: " + actionId + "\r\nMessage: " + message + "\r\n\r\n";
	}

	private List<String> readEvents(int count) throws IOException {
		List<String> events = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String message = client.readMessage();
			assertThat(message).as("event %d of %d", i + 1, count).startsWith("Event: ");
			events.add(message);
		}
		return events;
	}

}
