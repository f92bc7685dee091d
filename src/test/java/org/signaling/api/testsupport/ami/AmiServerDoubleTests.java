package org.signaling.api.testsupport.ami;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.action.BridgeAction;
import org.asteriskjava.manager.action.MixMonitorAction;
import org.asteriskjava.manager.action.MuteAudioAction;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.action.PlayDtmfAction;
import org.asteriskjava.manager.action.RedirectAction;
import org.asteriskjava.manager.event.DtmfEndEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.MixMonitorStartEvent;
import org.asteriskjava.manager.event.MusicOnHoldStartEvent;
import org.asteriskjava.manager.event.MusicOnHoldStopEvent;
import org.asteriskjava.manager.response.MixMonitorResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The double's wire behaviour, checked byte for byte with a plain socket (asterisk-ami.md §1, §4.2). */
class AmiServerDoubleTests {

	private AmiServerDouble ami;

	@BeforeEach
	void start() throws IOException {
		ami = AmiServerDouble.start("svc", "secret");
	}

	@AfterEach
	void close() {
		ami.close();
	}

	@Test
	void greetsWithTheBannerLineAndNoBlankLine() throws IOException {
		try (RawAmiClient client = connect()) {
			assertThat(client.readLine()).isEqualTo("Asterisk Call Manager/9.0.0\r\n");
			client.write("Action: Challenge\r\nAuthType: MD5\r\n\r\n");
			// the next thing read is the response, not a blank line left over from the banner
			assertThat(client.readLine()).isEqualTo("Response: Success\r\n");
		}
	}

	@Test
	void deniesEverythingButLoginLogoffAndChallengeBeforeLogin() throws IOException {
		try (RawAmiClient client = connectPastBanner()) {
			client.write("Action: Ping\r\nActionID: 363988129_3#req-42\r\n\r\n");

			assertThat(client.readMessage())
				.isEqualTo("Response: Error\r\nActionID: 363988129_3#req-42\r\nMessage: Permission denied\r\n\r\n");
		}
	}

	@Test
	void logsInWithAnMd5ChallengeAndSendsFullyBooted() throws IOException {
		try (RawAmiClient client = connectPastBanner()) {
			client.write("action: Challenge\r\nactionid: 1_0#\r\nauthtype: MD5\r\n\r\n");
			String challenge = header(client.readMessage(), "Challenge");
			String key = AmiServerDouble.md5Hex(challenge + "secret");

			client.write("action: Login\r\nactionid: 1_1#\r\nkey: " + key
					+ "\r\nusername: svc\r\nauthtype: MD5\r\n\r\n");

			assertThat(client.readMessage())
				.isEqualTo("Response: Success\r\nActionID: 1_1#\r\nMessage: Authentication accepted\r\n\r\n");
			assertThat(client.readMessage()).startsWith("Event: FullyBooted\r\nPrivilege: system,all\r\n");
			assertThat(ami.loggedInSessionCount()).isEqualTo(1);
		}
	}

	@Test
	void rejectsAWrongKeyAndClosesTheSession() throws IOException {
		try (RawAmiClient client = connectPastBanner()) {
			client.write("Action: Challenge\r\nAuthType: MD5\r\n\r\n");
			client.readMessage();
			client.write("Action: Login\r\nActionID: 2\r\nAuthType: MD5\r\nUsername: svc\r\nKey: 00\r\n\r\n");

			assertThat(client.readMessage())
				.isEqualTo("Response: Error\r\nActionID: 2\r\nMessage: Authentication failed\r\n\r\n");
			assertThat(client.readLine()).isNull();
		}
	}

	@Test
	void acceptsBareLfAndHeaderNamesInAnyCase() throws IOException {
		try (RawAmiClient client = connectPastBanner()) {
			client.write("aCtIoN: Login\nUSERNAME: svc\nsecret: secret\nActionID: a\n\n");

			assertThat(client.readMessage()).isEqualTo(
					"Response: Success\r\nActionID: a\r\nMessage: Authentication accepted\r\n\r\n");
		}
		assertThat(ami.receivedActions("Login")).singleElement()
			.satisfies(login -> assertThat(login.raw())
				.isEqualTo("aCtIoN: Login\nUSERNAME: svc\nsecret: secret\nActionID: a\n\n"));
	}

	@Test
	void letsTheFirstOfRepeatedHeadersWinAndKeepsEveryVariable() throws IOException {
		try (RawAmiClient client = loggedIn()) {
			client.write("Action: Ping\r\nActionID: first\r\nactionid: second\r\nVariable: A=1\r\n"
					+ "variable: B=2\r\n\r\n");

			assertThat(header(client.readMessage(), "ActionID")).isEqualTo("first");
		}
		AmiMessage ping = ami.receivedActions("Ping").get(0);
		assertThat(ping.getAll("Variable")).containsExactly("A=1", "B=2");
		assertThat(ping.rawLines()).contains("actionid: second");
	}

	@Test
	void answersUnknownActionsAndMissingActionsWithAsterisksErrors() throws IOException {
		try (RawAmiClient client = loggedIn()) {
			client.write("Action: Frobnicate\r\nActionID: x\r\n\r\n");
			assertThat(client.readMessage()).isEqualTo("Response: Error\r\nActionID: x\r\nMessage: Invalid/unknown "
					+ "command: Frobnicate. Use Action: ListCommands to show available commands.\r\n\r\n");

			client.write("ActionID: y\r\n\r\n");
			assertThat(client.readMessage())
				.isEqualTo("Response: Error\r\nActionID: y\r\nMessage: Missing action in request\r\n\r\n");
		}
	}

	@Test
	void omitsActionIdWhenTheRequestHadNone() throws IOException {
		try (RawAmiClient client = loggedIn()) {
			client.write("Action: Ping\r\n\r\n");

			assertThat(client.readMessage()).startsWith("Response: Success\r\nPing: Pong\r\nTimestamp: ");
		}
	}

	@Test
	void saysGoodbyeOnLogoffAndCloses() throws IOException {
		try (RawAmiClient client = loggedIn()) {
			client.write("Action: Logoff\r\nActionID: bye\r\n\r\n");

			assertThat(client.readMessage())
				.isEqualTo("Response: Goodbye\r\nActionID: bye\r\nMessage: Thanks for all the fish.\r\n\r\n");
			assertThat(client.readLine()).isNull();
		}
	}

	@Test
	void reportsTheAsteriskVersionInCoreSettings() throws IOException {
		try (RawAmiClient client = loggedIn()) {
			client.write("Action: CoreSettings\r\nActionID: cs\r\n\r\n");

			String response = client.readMessage();
			assertThat(header(response, "AMIversion")).isEqualTo("9.0.0");
			assertThat(header(response, "AsteriskVersion")).isEqualTo(AmiServerDouble.DEFAULT_ASTERISK_VERSION);
		}
	}

	@Test
	void neverAnswersASilencedActionButAnswersTheNextOne() throws IOException {
		ami.neverAnswer("Ping");
		ami.onAction("Echo", (session, action) -> session.success(action, "Said", action.get("Text")));
		try (RawAmiClient client = loggedIn()) {
			client.write("Action: Ping\r\nActionID: p\r\n\r\nAction: Echo\r\nActionID: e\r\nText: hi\r\n\r\n");

			assertThat(client.readMessage()).isEqualTo("Response: Success\r\nActionID: e\r\nSaid: hi\r\n\r\n");
		}
		assertThat(ami.receivedActions("Ping")).hasSize(1);
	}

	@Test
	void pushesEventsToLoggedInSessionsOnly() throws IOException {
		try (RawAmiClient anonymous = connectPastBanner(); RawAmiClient client = loggedIn()) {
			int written = ami.pushEvent(AmiMessage.event("Hangup").with("Privilege", "call,all").with("Cause", "16"));

			assertThat(written).isEqualTo(1);
			assertThat(client.readMessage()).isEqualTo("Event: Hangup\r\nPrivilege: call,all\r\nCause: 16\r\n\r\n");
			anonymous.write("Action: Ping\r\nActionID: q\r\n\r\n");
			assertThat(anonymous.readMessage()).contains("Permission denied");
		}
	}

	@Test
	void dropsConnectionsAndRefusesUntilListeningAgainOnTheSamePort() throws IOException {
		try (RawAmiClient client = loggedIn()) {
			ami.dropAllConnections();
			assertThat(client.readLine()).isNull();
		}

		ami.stopListening();
		assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);

		ami.startListening();
		try (RawAmiClient client = connect()) {
			assertThat(client.readLine()).startsWith("Asterisk Call Manager/");
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> ami.acceptedConnections() == 2);
	}

	@Test
	void servesAsteriskJavasCallControlActionsAndEvents() throws Exception {
		String callId = "call-00000000000000000000000000000042";
		ManagerConnection connection = new ManagerConnectionFactory(ami.host(), ami.port(), "svc", "secret")
			.createManagerConnection();
		List<ManagerEvent> events = new CopyOnWriteArrayList<>();
		connection.addEventListener(events::add);
		connection.login();
		try {
			OriginateAction originate = new OriginateAction();
			originate.setChannel("PJSIP/5001@kamailio");
			originate.setContext("click-to-dial");
			originate.setExten("5551234567");
			originate.setPriority(1);
			originate.setAsync(true);
			originate.setChannelId(callId);
			assertThat(connection.sendAction(originate).getResponse()).isEqualTo("Success");
			await().atMost(Duration.ofSeconds(5)).until(() -> isBridged(callId));
			String customer = ami.calls().customerUniqueId(callId);

			// MixMonitorResponse picks up the MixMonitorID header; MuteAudioAction writes "in" and "on"
			assertThat(connection.sendAction(new MixMonitorAction(callId, "call.wav", "i(MIXMON_ID)")))
				.isInstanceOfSatisfying(MixMonitorResponse.class, response -> assertThat(response.getMixMonitorId())
					.isEqualTo(ami.calls().recordings(callId).get(0).id()));
			assertThat(connection.sendAction(
					new MuteAudioAction(callId, MuteAudioAction.Direction.IN, MuteAudioAction.State.MUTE))
				.getResponse()).isEqualTo("Success");
			PlayDtmfAction dtmf = new PlayDtmfAction(customer, "7");
			dtmf.setDuration(200);
			assertThat(connection.sendAction(dtmf).getMessage()).isEqualTo("DTMF successfully queued");
			RedirectAction hold = new RedirectAction();
			hold.setChannel(customer);
			hold.setContext(SimulatedCalls.HOLD_CONTEXT);
			hold.setExten(SimulatedCalls.HOLD_CUSTOMER_EXTEN);
			hold.setPriority(1);
			hold.setExtraChannel(callId);
			hold.setExtraContext(SimulatedCalls.HOLD_CONTEXT);
			hold.setExtraExten("agent");
			hold.setExtraPriority(1);
			assertThat(connection.sendAction(hold).getMessage()).isEqualTo("Dual Redirect successful");
			assertThat(connection.sendAction(new BridgeAction(callId, customer, false)).getMessage())
				.isEqualTo("Channels have been bridged");

			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(events).map(e -> e.getClass().getSimpleName())
					.contains("MixMonitorStartEvent", "DtmfEndEvent", "MusicOnHoldStartEvent",
							"MusicOnHoldStopEvent"));
			assertThat(events).filteredOn(MixMonitorStartEvent.class::isInstance).hasSize(1);
			assertThat(events).filteredOn(DtmfEndEvent.class::isInstance)
				.map(DtmfEndEvent.class::cast)
				.singleElement()
				.satisfies(end -> {
					assertThat(end.getDigit()).isEqualTo("7");
					assertThat(end.getDurationMs()).isEqualTo(200);
					assertThat(end.isSent()).isTrue();
					assertThat(end.getUniqueId()).isEqualTo(customer);
				});
			assertThat(events).filteredOn(MusicOnHoldStartEvent.class::isInstance)
				.map(MusicOnHoldStartEvent.class::cast)
				.singleElement()
				.satisfies(start -> assertThat(start.getUniqueId()).isEqualTo(customer));
			assertThat(events).filteredOn(MusicOnHoldStopEvent.class::isInstance).hasSize(1);
			assertThat(ami.calls().audioMute(callId).in()).isTrue();
			assertThat(ami.calls().isHeld(callId)).isFalse();
		}
		finally {
			connection.logoff();
		}
	}

	// --- helpers

	private RawAmiClient connect() throws IOException {
		return RawAmiClient.connect(ami);
	}

	private RawAmiClient connectPastBanner() throws IOException {
		RawAmiClient client = connect();
		client.readLine();
		return client;
	}

	private RawAmiClient loggedIn() throws IOException {
		return RawAmiClient.loggedIn(ami, "svc", "secret");
	}

	private boolean isBridged(String uniqueId) {
		String bridge = ami.calls().bridgeOf(uniqueId);
		return bridge != null && !bridge.isEmpty();
	}

	private static String header(String message, String name) {
		return RawAmiClient.header(message, name);
	}

}
