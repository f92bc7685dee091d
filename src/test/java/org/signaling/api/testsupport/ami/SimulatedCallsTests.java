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

	// --- helpers

	private static String originate(String actionId, String channelId) {
		return "Action: Originate\r\nActionID: " + actionId + "\r\nChannel: PJSIP/5001@kamailio\r\n"
				+ "Context: click-to-dial\r\nExten: 5551234567\r\nPriority: 1\r\nTimeout: 30000\r\n"
				+ "CallerID: \"5551234567\" <5551234567>\r\nChannelId: " + channelId + "\r\nAsync: true\r\n"
				+ "Variable: SIGNALING_CALL_ID=" + channelId + "\r\nVariable: SIGNALING_CALLER_ID=4930123456\r\n"
				+ "Variable: PJSIP_HEADER(add,X-Call-Id)=" + channelId + "\r\n\r\n";
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
