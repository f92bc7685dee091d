package org.signaling.api.asterisk.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.asteriskjava.manager.action.PingAction;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.signaling.api.asterisk.AsteriskProperties;
import org.signaling.api.call.OriginateCommand;
import org.signaling.api.call.PbxChannel;
import org.signaling.api.call.PbxEvent;
import org.signaling.api.call.PbxEvent.LegAnswered;
import org.signaling.api.call.PbxEvent.LegBridged;
import org.signaling.api.call.PbxEvent.LegCreated;
import org.signaling.api.call.PbxEvent.LegHungUp;
import org.signaling.api.call.PbxEvent.LegRinging;
import org.signaling.api.call.PbxEvent.OriginateFailed;
import org.signaling.api.call.PbxRejectedException;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.ChildSpans;
import org.signaling.api.testsupport.ami.AmiMessage;
import org.signaling.api.testsupport.ami.AmiServerDouble;
import org.signaling.api.testsupport.ami.CallScript;
import org.springframework.context.ApplicationEventPublisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link AmiPbx} driving the real asterisk-java client, through {@link AmiConnection}, against
 * {@link AmiServerDouble} on loopback: what goes on the wire, which {@link PbxEvent}s come out, and what is refused
 * before anything is sent.
 */
class AmiPbxTests {

	private static final String USER = "signaling-api";

	private static final String SECRET = "Pbx-s3cret";

	private static final String CALL_ID = "call-0123456789abcdef0123456789abcdef";

	private static final String AGENT_LEG = "PJSIP/5001-00000007";

	private static final Instant NOW = Instant.parse("2026-03-02T10:15:30Z");

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private final List<Object> published = new CopyOnWriteArrayList<>();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final List<AmiConnection> connections = new ArrayList<>();

	private final List<AmiPbx> pbxs = new ArrayList<>();

	private AmiServerDouble ami;

	private AmiConnection connection;

	private AmiPbx pbx;

	private final Set<String> barrierIds = ConcurrentHashMap.newKeySet();

	@BeforeEach
	void start() throws IOException {
		ami = AmiServerDouble.start(USER, SECRET);
		connect(Duration.ofSeconds(2));
	}

	@AfterEach
	void stop() {
		pbxs.forEach(AmiPbx::destroy);
		connections.forEach(AmiConnection::stop);
		ami.close();
	}

	// --- originate on the wire

	@Test
	void originatePutsExactlyTheseHeadersOnTheWire() {
		pbx.originate(new OriginateCommand(CALL_ID, "5001", "5551234567", "4930123456", Duration.ofSeconds(25), true));

		AmiMessage sent = ami.receivedActions("Originate").get(0);
		assertThat(ami.receivedActions("Originate")).hasSize(1);
		assertThat(sent.get("Channel")).isEqualTo("PJSIP/5001@kamailio");
		assertThat(sent.get("Context")).isEqualTo("click-to-dial");
		assertThat(sent.get("Exten")).isEqualTo("5551234567");
		assertThat(sent.get("Priority")).isEqualTo("1");
		assertThat(sent.get("Async")).isEqualTo("true");
		assertThat(sent.get("ChannelId")).isEqualTo(CALL_ID);
		assertThat(sent.get("Timeout")).isEqualTo("25000");
		assertThat(sent.get("CallerID")).isEqualTo("\"5551234567\" <5551234567>");
		assertThat(sent.actionId()).endsWith("#" + CALL_ID);
		assertThat(sent.getAll("Variable")).containsExactlyInAnyOrder("SIGNALING_CALL_ID=" + CALL_ID,
				"SIGNALING_AGENT_DN=5001", "SIGNALING_CALLER_ID=4930123456", "PJSIP_HEADER(add,X-Call-Id)=" + CALL_ID,
				"PJSIP_HEADER(add,Call-Info)=<sip:signaling-api.invalid>;answer-after=0");
		assertThat(sent.headers()).extracting(h -> h.name().toLowerCase(Locale.ROOT))
			.containsExactlyInAnyOrder("action", "actionid", "channel", "context", "exten", "priority", "async",
					"channelid", "timeout", "callerid", "variable", "variable", "variable", "variable", "variable");
		// one CRLF per header plus the blank line: nothing else reached the socket
		assertThat(sent.raw()).endsWith("\r\n\r\n").doesNotContain("\r\n\r\n\r\n");
		assertThat(sent.raw().split("\r\n", -1)).hasSize(sent.headers().size() + 2);
	}

	@Test
	void originateWithoutCallerIdOrAutoAnswerLeavesThoseVariablesOut() {
		pbx.originate(new OriginateCommand(CALL_ID, "5001", "+4930123456", null, Duration.ofSeconds(30), false));

		AmiMessage sent = ami.receivedActions("Originate").get(0);
		assertThat(sent.getAll("Variable")).containsExactlyInAnyOrder("SIGNALING_CALL_ID=" + CALL_ID,
				"SIGNALING_AGENT_DN=5001", "PJSIP_HEADER(add,X-Call-Id)=" + CALL_ID);
		assertThat(sent.get("CallerID")).isEqualTo("\"+4930123456\" <+4930123456>");
	}

	@Test
	void ringTimeoutGoesToAsteriskInMillisecondsAndNonsenseIsRefused() {
		pbx.originate(new OriginateCommand(CALL_ID, "5001", "5551234567", null, Duration.ofSeconds(45), false));

		assertThat(ami.receivedActions("Originate")).extracting(m -> m.get("Timeout")).containsExactly("45000");
		assertThatThrownBy(() -> pbx.originate(
				new OriginateCommand(otherCallId(1), "5001", "5551234567", null, Duration.ZERO, false)))
			.isInstanceOf(IllegalArgumentException.class);
	}

	// --- events

	@Test
	void answerAndBridgeBecomesTheLegEventsInOrder() {
		pbx.originate(command());

		List<PbxEvent> events = eventsOfCallAfterBarrier(CALL_ID, 9);

		String customerLeg = ami.calls().customerChannel(CALL_ID);
		String customerId = ami.calls().customerUniqueId(CALL_ID);
		assertThat(events).containsExactly(new LegCreated(CALL_ID, AGENT_LEG, CALL_ID, CALL_ID, NOW),
				new LegRinging(CALL_ID, AGENT_LEG, CALL_ID, NOW), new LegAnswered(CALL_ID, AGENT_LEG, CALL_ID, NOW),
				new LegCreated(CALL_ID, customerLeg, customerId, CALL_ID, NOW),
				// Newstate Ringing, then DialState RINGING: both say the customer's phone rings
				new LegRinging(CALL_ID, customerLeg, customerId, NOW),
				new LegRinging(CALL_ID, customerLeg, customerId, NOW),
				new LegAnswered(CALL_ID, customerLeg, customerId, NOW),
				new LegBridged(CALL_ID, AGENT_LEG, CALL_ID, 1, NOW),
				new LegBridged(CALL_ID, customerLeg, customerId, 2, NOW));
	}

	static Stream<Arguments> failedOriginates() {
		LegCreated created = new LegCreated(CALL_ID, AGENT_LEG, CALL_ID, CALL_ID, NOW);
		LegRinging ringing = new LegRinging(CALL_ID, AGENT_LEG, CALL_ID, NOW);
		return Stream.of(
				Arguments.of(CallScript.AGENT_BUSY,
						List.of(created, new LegHungUp(CALL_ID, AGENT_LEG, CALL_ID, 17, "User busy", NOW),
								new OriginateFailed(CALL_ID, 5, NOW))),
				Arguments.of(CallScript.NO_ANSWER,
						List.of(created, ringing,
								new LegHungUp(CALL_ID, AGENT_LEG, CALL_ID, 19, "User alerting, no answer", NOW),
								new OriginateFailed(CALL_ID, 3, NOW))),
				Arguments.of(CallScript.CONGESTION,
						List.of(created,
								new LegHungUp(CALL_ID, AGENT_LEG, CALL_ID, 34, "Circuit/channel congestion", NOW),
								new OriginateFailed(CALL_ID, 8, NOW))),
				Arguments.of(CallScript.FAILURE, List.of(new OriginateFailed(CALL_ID, 0, NOW))));
	}

	@ParameterizedTest
	@MethodSource("failedOriginates")
	void failedOriginatesBecomeTheirReasons(CallScript script, List<PbxEvent> expected) {
		ami.calls().script(CALL_ID, script);

		pbx.originate(command());

		assertThat(eventsOfCallAfterBarrier(CALL_ID, expected.size())).containsExactlyElementsOf(expected);
	}

	@Test
	void dropsEventsOfCallsThatAreNotOurs() {
		String foreign = "1718000000.42";
		ami.pushEvent(channelEvent("Newchannel", "PJSIP/6000-0000002a", foreign, foreign, "0", "Down"));
		ami.pushEvent(channelEvent("Newstate", "PJSIP/6000-0000002a", foreign, foreign, "6", "Up"));
		ami.pushEvent(channelEvent("Hangup", "PJSIP/6000-0000002a", foreign, foreign, "6", "Up")
			.with("Cause", "16")
			.with("Cause-txt", "Normal Clearing"));
		// (asterisk-java 3.42's reader dies on a BridgeEnter without BridgeUniqueid; Asterisk always sends one)
		ami.pushEvent(AmiMessage.event("BridgeEnter")
			.with("Privilege", "call,all")
			.with("BridgeUniqueid", "5d5b1c3e-1f2a-4c1e-9a57-0c9f1e2d3b4a")
			.with("BridgeNumChannels", "1")
			.with("Channel", "PJSIP/6000-0000002a")
			.with("Uniqueid", foreign)
			.with("Linkedid", foreign));
		ami.pushEvent(AmiMessage.event("DialState")
			.with("Privilege", "call,all")
			.with("DestChannel", "PJSIP/6001-0000002b")
			.with("DestUniqueid", "1718000000.43")
			.with("DestLinkedid", foreign)
			.with("DialStatus", "RINGING"));
		ami.pushEvent(AmiMessage.event("OriginateResponse")
			.with("Privilege", "call,all")
			.with("Response", "Failure")
			.with("Channel", "PJSIP/6000")
			.with("Reason", "5")
			.with("Uniqueid", "<unknown>"));
		// look-alikes of our ids are not ours either
		String upperCase = CALL_ID.toUpperCase(Locale.ROOT).replace("CALL-", "call-");
		ami.pushEvent(channelEvent("Newchannel", "PJSIP/6000-0000002c", upperCase, upperCase, "0", "Down"));
		ami.pushEvent(channelEvent("Newchannel", "PJSIP/6000-0000002d", CALL_ID + "0", CALL_ID + "0", "0", "Down"));

		barrier();

		assertThat(callEvents()).isEmpty();
	}

	@Test
	void ignoresANewLegOfOurCallWhoseChannelNameOrUniqueidIsNotWhatAsteriskWrites() {
		// The record keeps legs as "name=uniqueid" and hangs them up by Uniqueid: such a leg could corrupt both.
		ami.pushEvent(channelEvent("Newchannel", "PJSIP/a,b=c-00000001", "1718000000.7", CALL_ID, "0", "Down"));
		ami.pushEvent(channelEvent("Newchannel", "PJSIP/" + "x".repeat(300), "1718000000.8", CALL_ID, "0", "Down"));
		ami.pushEvent(channelEvent("Newchannel", "PJSIP/6000-0000002e", "1718000000.9/x", CALL_ID, "0", "Down"));
		ami.pushEvent(channelEvent("Newchannel", "PJSIP/6000-0000002f", "1718000000.10", CALL_ID, "0", "Down"));

		assertThat(eventsOfCallAfterBarrier(CALL_ID, 1)).containsExactly(
				new LegCreated(CALL_ID, "PJSIP/6000-0000002f", "1718000000.10", CALL_ID, NOW));
	}

	@Test
	void dropsEventsOfOurCallsThatMeanNothingHere() {
		ami.pushEvent(channelEvent("Newstate", AGENT_LEG, CALL_ID, CALL_ID, "4", "Ring"));
		ami.pushEvent(AmiMessage.event("DialState")
			.with("Privilege", "call,all")
			.with("DestChannel", AGENT_LEG)
			.with("DestUniqueid", CALL_ID)
			.with("DestLinkedid", CALL_ID)
			.with("DialStatus", "PROCEEDING"));
		ami.pushEvent(AmiMessage.event("OriginateResponse")
			.with("Privilege", "call,all")
			.with("Response", "Success")
			.with("Channel", AGENT_LEG)
			.with("Reason", "4")
			.with("Uniqueid", CALL_ID));

		barrier();

		assertThat(callEvents()).isEmpty();
	}

	@Test
	void takesTheUniqueIdAsCallIdWhenTheLinkedIdIsNotOurs() {
		ami.pushEvent(channelEvent("Newchannel", AGENT_LEG, CALL_ID, "1718000000.1", "0", "Down"));

		assertThat(eventsOfCallAfterBarrier(CALL_ID, 1))
			.containsExactly(new LegCreated(CALL_ID, AGENT_LEG, CALL_ID, "1718000000.1", NOW));
	}

	@Test
	void publishesOnTheAdaptersEventThreadNeverOnTheLibrarysPump() {
		List<String> threads = new CopyOnWriteArrayList<>();
		reconnectWith((event) -> {
			threads.add(Thread.currentThread().getName());
			published.add(event);
		});

		pbx.originate(command());
		eventsOfCallAfterBarrier(CALL_ID, 9);

		assertThat(threads).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith("ami-events-"));
	}

	@Test
	void publishesReconnectedAfterEachLogin() {
		eventually().until(() -> reconnectedCount() >= 1);
		int before = reconnectedCount();

		ami.dropAllConnections();

		eventually().until(() -> reconnectedCount() > before);
		assertThat(published).filteredOn(PbxEvent.Reconnected.class::isInstance)
			.allSatisfy(event -> assertThat(event).isEqualTo(new PbxEvent.Reconnected(NOW)));
	}

	// --- hangup and channels

	@Test
	void hangsUpByUniqueIdThenReportsNoSuchChannel() {
		pbx.originate(command());
		eventsOfCallAfterBarrier(CALL_ID, 9);
		String customerLeg = ami.calls().customerChannel(CALL_ID);
		String customerId = ami.calls().customerUniqueId(CALL_ID);

		assertThat(pbx.hangup(null, CALL_ID)).isTrue();

		AmiMessage sent = ami.receivedActions("Hangup").get(0);
		assertThat(sent.get("Channel")).isEqualTo(CALL_ID);
		assertThat(sent.get("Cause")).isEqualTo("16");
		assertThat(eventsOfCallAfterBarrier(CALL_ID, 11)).endsWith(
				new LegHungUp(CALL_ID, AGENT_LEG, CALL_ID, 16, "Normal Clearing", NOW),
				new LegHungUp(CALL_ID, customerLeg, customerId, 16, "Normal Clearing", NOW));
		assertThat(pbx.hangup(null, CALL_ID)).isFalse();
		assertThat(pbx.channels(null)).isEmpty();
	}

	@Test
	void hangsUpTheCustomerLegByItsUniqueId() {
		pbx.originate(command());
		eventsOfCallAfterBarrier(CALL_ID, 9);

		assertThat(pbx.hangup(null, ami.calls().customerUniqueId(CALL_ID))).isTrue();

		assertThat(ami.calls().isLive(CALL_ID)).isFalse();
	}

	@Test
	void hangingUpARingingAgentFailsTheOriginateWithReason1() {
		ami.calls().script(CALL_ID, CallScript.AGENT_RINGING_FOREVER);
		pbx.originate(command());
		eventsOfCallAfterBarrier(CALL_ID, 2);

		assertThat(pbx.hangup(null, CALL_ID)).isTrue();

		assertThat(eventsOfCallAfterBarrier(CALL_ID, 4)).endsWith(
				new LegHungUp(CALL_ID, AGENT_LEG, CALL_ID, 16, "Normal Clearing", NOW),
				new OriginateFailed(CALL_ID, 1, NOW));
	}

	@Test
	void listsTheLiveChannelsOursAndOthers() {
		pbx.originate(command());
		eventsOfCallAfterBarrier(CALL_ID, 9);
		ami.calls().addForeignChannel("PJSIP/6000-0000002a", "1718000000.42", "1718000000.42");

		List<PbxChannel> channels = pbx.channels(null);

		assertThat(channels).containsExactly(new PbxChannel(AGENT_LEG, CALL_ID, CALL_ID, "Up"),
				new PbxChannel(ami.calls().customerChannel(CALL_ID), ami.calls().customerUniqueId(CALL_ID), CALL_ID,
						"Up"),
				new PbxChannel("PJSIP/6000-0000002a", "1718000000.42", "1718000000.42", "Up"));
	}

	@Test
	void aChannelListCutShortByADisconnectIsUnavailableNotShorter() {
		pbx.originate(command());
		eventsOfCallAfterBarrier(CALL_ID, 9);
		ami.calls().truncateNextChannelList(1);

		// asterisk-java returns the partial list as if complete; only the missing Complete event tells
		assertThatThrownBy(() -> pbx.channels(null)).isInstanceOf(BackendUnavailableException.class);

		// the library reconnects by itself; the next list is whole again
		eventually().ignoreExceptions().until(() -> pbx.channels(null).size() == 2);
	}

	@Test
	void aChannelListCutBeforeItsFirstItemIsUnavailableToo() {
		ami.calls().truncateNextChannelList(0);

		assertThatThrownBy(() -> pbx.channels(null)).isInstanceOf(BackendUnavailableException.class);
	}

	// --- failures

	@Test
	void everyActionIsUnavailableWhenTheSessionIsNotUp() {
		AsteriskProperties properties = properties(Duration.ofSeconds(2));
		AmiConnections notStarted = new AmiConnections(properties, new SimpleMeterRegistry(), clock);
		AmiPbx offline = new AmiPbx(notStarted, properties, published::add, clock);

		assertThatThrownBy(() -> offline.originate(command())).isInstanceOf(BackendUnavailableException.class)
			.hasMessage("Asterisk unreachable");
		assertThatThrownBy(() -> offline.hangup(null, CALL_ID)).isInstanceOf(BackendUnavailableException.class)
			.hasMessage("Asterisk unreachable");
		assertThatThrownBy(() -> offline.channels(null)).isInstanceOf(BackendUnavailableException.class)
			.hasMessage("Asterisk unreachable");
		offline.destroy();
	}

	@Test
	void originateIsUnavailableWhileAsteriskIsDown() {
		ami.stopListening();
		eventually().until(() -> !connection.status().isConnected());

		assertThatThrownBy(() -> pbx.originate(command())).isInstanceOf(BackendUnavailableException.class)
			.hasMessage("Asterisk unreachable")
			.satisfies(ex -> assertThat(((BackendUnavailableException) ex).backend()).isEqualTo("asterisk"));
		assertThat(ami.receivedActions("Originate")).isEmpty();
	}

	@Test
	void actionsLeftUnansweredAreUnavailable() {
		reconnect(Duration.ofMillis(500));
		ami.neverAnswer("Originate").neverAnswer("Hangup").neverAnswer("CoreShowChannels");

		assertThatThrownBy(() -> pbx.originate(command())).isInstanceOf(BackendUnavailableException.class)
			.hasMessage("Asterisk unreachable");
		assertThatThrownBy(() -> pbx.hangup(null, CALL_ID)).isInstanceOf(BackendUnavailableException.class);
		assertThatThrownBy(() -> pbx.channels(null)).isInstanceOf(BackendUnavailableException.class);
	}

	@Test
	void anErrorResponseIsARejectionWithAsterisksMessage() {
		ami.onAction("Originate", (session, action) -> session.error(action, "Extension does not exist."));
		ami.onAction("Hangup", (session, action) -> session.error(action, "Permission denied"));
		ami.onAction("CoreShowChannels", (session, action) -> session.error(action, "Permission denied"));

		assertThatThrownBy(() -> pbx.originate(command())).isInstanceOf(PbxRejectedException.class)
			.hasMessage("Extension does not exist.");
		assertThatThrownBy(() -> pbx.hangup(null, CALL_ID)).isInstanceOf(PbxRejectedException.class)
			.hasMessage("Permission denied");
		assertThatThrownBy(() -> pbx.channels(null)).isInstanceOf(PbxRejectedException.class)
			.hasMessage("Permission denied");
		// every AMI action is timed by action and outcome
		assertThat(meters.get("signaling.asterisk.actions").tags("action", "Originate", "outcome", "error").timer()
			.count()).isOne();
		assertThat(meters.get("signaling.asterisk.actions").tags("action", "Hangup", "outcome", "error").timer()
			.count()).isOne();
	}

	// --- hostile values

	static Stream<Arguments> hostileOriginates() {
		String injection = "\r\nApplication: System\r\nData: touch /tmp/pwned";
		String ok = "5551234567";
		List<Arguments> cases = new ArrayList<>();
		for (String bad : hostileTokens(injection)) {
			cases.add(Arguments.of("agentDn " + printable(bad), command(CALL_ID, bad, ok, null)));
			cases.add(Arguments.of("destination " + printable(bad), command(CALL_ID, "5001", bad, null)));
			cases.add(Arguments.of("callerId " + printable(bad), command(CALL_ID, "5001", ok, bad)));
			cases.add(Arguments.of("callId " + printable(bad), command(CALL_ID + bad, "5001", ok, null)));
		}
		cases.add(Arguments.of("agentDn too long", command(CALL_ID, "5".repeat(65), ok, null)));
		cases.add(Arguments.of("agentDn with @", command(CALL_ID, "5001@evil", ok, null)));
		cases.add(Arguments.of("agentDn with &", command(CALL_ID, "5001&PJSIP/6000", ok, null)));
		cases.add(Arguments.of("agentDn empty", command(CALL_ID, "", ok, null)));
		cases.add(Arguments.of("destination too long", command(CALL_ID, "5001", "5".repeat(65), null)));
		cases.add(Arguments.of("destination with ;", command(CALL_ID, "5001", "555;x", null)));
		cases.add(Arguments.of("destination with space", command(CALL_ID, "5001", "555 1234", null)));
		cases.add(Arguments.of("callerId too long", command(CALL_ID, "5001", ok, "4".repeat(33))));
		cases.add(Arguments.of("callerId with letters", command(CALL_ID, "5001", ok, "Anonymous")));
		cases.add(Arguments.of("callerId empty", command(CALL_ID, "5001", ok, "")));
		cases.add(Arguments.of("callId not ours", command("1718000000.1", "5001", ok, null)));
		cases.add(Arguments.of("callId upper case", command(CALL_ID.toUpperCase(Locale.ROOT), "5001", ok, null)));
		cases.add(Arguments.of("callId too long", command(CALL_ID + "0", "5001", ok, null)));
		return cases.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("hostileOriginates")
	void refusesHostileOriginateValuesAndSendsNothing(String label, OriginateCommand command) throws Exception {
		assertThatThrownBy(() -> pbx.originate(command)).isInstanceOf(IllegalArgumentException.class);

		assertNothingCallShapedReachedTheSocket();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/.*/", "/^PJSIP\\/5001-/", "PJSIP/5001-00000007", "a,b", "a b", "call\"x", "a\\b", "",
			"call-0123456789abcdef0123456789abcdef\r\nAction: Originate",
			"call-0123456789abcdef0123456789abcdef\n\nAction: Hangup\nChannel: /.*/",
			"call-0123456789abcdef0123456789abcdef\u0000" })
	void refusesHostileHangupValuesAndSendsNothing(String uniqueId) throws Exception {
		assertThatThrownBy(() -> pbx.hangup(null, uniqueId)).isInstanceOf(IllegalArgumentException.class);

		assertNothingCallShapedReachedTheSocket();
	}

	@Test
	void refusesAnOverLongUniqueIdAndSendsNothing() throws Exception {
		assertThatThrownBy(() -> pbx.hangup(null, "x".repeat(150))).isInstanceOf(IllegalArgumentException.class);

		assertNothingCallShapedReachedTheSocket();
	}

	@Test
	void acceptsAsteriskStyleUniqueIdsForHangup() {
		assertThat(pbx.hangup(null, "1718000000.42")).isFalse();
		assertThat(pbx.hangup(null, "x".repeat(149))).isFalse();
	}

	// --- helpers

	private void connect(Duration responseTimeout) {
		AsteriskProperties properties = properties(responseTimeout);
		AmiConnections nodes = new AmiConnections(properties, new SimpleMeterRegistry(), clock);
		connection = nodes.all().get(0);
		connections.add(connection);
		pbx = new AmiPbx(nodes, properties, published::add, clock, meters, ChildSpans.NONE);
		pbxs.add(pbx);
		connection.start();
		eventually().until(() -> connection.status().isConnected());
	}

	private void reconnectWith(ApplicationEventPublisher publisher) {
		pbx.destroy();
		connection.stop();
		AsteriskProperties properties = properties(Duration.ofSeconds(2));
		AmiConnections nodes = new AmiConnections(properties, new SimpleMeterRegistry(), clock);
		connection = nodes.all().get(0);
		connections.add(connection);
		pbx = new AmiPbx(nodes, properties, publisher, clock);
		pbxs.add(pbx);
		connection.start();
		eventually().until(() -> connection.status().isConnected());
	}

	private void reconnect(Duration responseTimeout) {
		pbx.destroy();
		connection.stop();
		connect(responseTimeout);
	}

	private AsteriskProperties properties(Duration responseTimeout) {
		return new AsteriskProperties(ami.host(), ami.port(), USER, SECRET, Duration.ofSeconds(1), responseTimeout,
				Duration.ofSeconds(20), Duration.ofMillis(50), Duration.ofMillis(200), "PJSIP/{dn}@kamailio",
				"click-to-dial", 1, List.of());
	}

	private static OriginateCommand command() {
		return command(CALL_ID, "5001", "5551234567", "4930123456");
	}

	private static OriginateCommand command(String callId, String dn, String destination, String callerId) {
		return new OriginateCommand(callId, dn, destination, callerId, Duration.ofSeconds(30), false);
	}

	private static List<String> hostileTokens(String injection) {
		return List.of("5001" + injection, "5001\r\n", "5001\n", "5001\r", "5001,6000", "5001\"", "5001'",
				"5001\\", "/5001", "50\t01", "5001\u0000");
	}

	private static String printable(String value) {
		return value.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t").replace("\u0000", "\\0");
	}

	private static String otherCallId(int n) {
		return "call-" + String.format(Locale.ROOT, "%032x", n);
	}

	/**
	 * Sends a Ping and waits for its answer: anything sent before it has been received by the double by then (one
	 * socket, processed in order). Then checks that no Originate or Hangup, nor any injected header, arrived.
	 */
	private void assertNothingCallShapedReachedTheSocket() throws Exception {
		assertThat(connection.requireConnected().sendAction(new PingAction()).getResponse()).isEqualTo("Success");
		List<AmiMessage> received = ami.receivedMessages();
		assertThat(received).noneMatch(m -> m.isAction("Originate") || m.isAction("Hangup"));
		assertThat(received).allSatisfy(m -> assertThat(m.raw().toLowerCase(Locale.ROOT))
			.doesNotContain("application:", "data:", "channel:", "variable:"));
	}

	/**
	 * Pushes an event of another call of ours and waits for it: events are delivered in order, so every event the
	 * double wrote before has been published by then.
	 */
	private void barrier() {
		String barrierId = "call-" + String.format(Locale.ROOT, "%032x", 0xbabe0000L + barrierIds.size());
		barrierIds.add(barrierId);
		ami.pushEvent(channelEvent("Newchannel", "PJSIP/9999-00000fff", barrierId, barrierId, "0", "Down"));
		eventually().until(() -> published.stream()
			.anyMatch(e -> e instanceof LegCreated created && created.callId().equals(barrierId)));
	}

	private List<PbxEvent> eventsOfCallAfterBarrier(String callId, int atLeast) {
		eventually().until(() -> eventsOf(callId).size() >= atLeast);
		barrier();
		return eventsOf(callId);
	}

	private List<PbxEvent> eventsOf(String callId) {
		return callEvents().stream().filter(e -> callId.equals(callIdOf(e))).toList();
	}

	/** Published call events, barriers left out. */
	private List<PbxEvent> callEvents() {
		return published.stream()
			.filter(PbxEvent.class::isInstance)
			.map(PbxEvent.class::cast)
			.filter(e -> callIdOf(e) != null && !barrierIds.contains(callIdOf(e)))
			.toList();
	}

	private int reconnectedCount() {
		return (int) published.stream().filter(PbxEvent.Reconnected.class::isInstance).count();
	}

	private static String callIdOf(PbxEvent event) {
		if (event instanceof LegCreated e) {
			return e.callId();
		}
		if (event instanceof LegRinging e) {
			return e.callId();
		}
		if (event instanceof LegAnswered e) {
			return e.callId();
		}
		if (event instanceof LegBridged e) {
			return e.callId();
		}
		if (event instanceof LegHungUp e) {
			return e.callId();
		}
		if (event instanceof OriginateFailed e) {
			return e.callId();
		}
		return null;
	}

	private static AmiMessage channelEvent(String name, String channel, String uniqueId, String linkedId, String state,
			String stateDesc) {
		return AmiMessage.event(name)
			.with("Privilege", "call,all")
			.with("Channel", channel)
			.with("ChannelState", state)
			.with("ChannelStateDesc", stateDesc)
			.with("CallerIDNum", "<unknown>")
			.with("CallerIDName", "<unknown>")
			.with("Uniqueid", uniqueId)
			.with("Linkedid", linkedId);
	}

	private static ConditionFactory eventually() {
		return await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
	}

}
