package org.signaling.api.asterisk.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.signaling.api.asterisk.AsteriskProperties;
import org.signaling.api.call.MediaControl.Legs;
import org.signaling.api.call.MediaControl.MonitorMode;
import org.signaling.api.call.OriginateCommand;
import org.signaling.api.call.PbxEvent;
import org.signaling.api.call.PbxRejectedException;
import org.signaling.api.testsupport.ami.AmiMessage;
import org.signaling.api.testsupport.ami.AmiServerDouble;
import org.signaling.api.testsupport.ami.SimulatedCalls;
import org.signaling.api.testsupport.ami.SimulatedCalls.SpyMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Call control over AMI against the AMI double: the exact action on the wire for each operation, its effect on the
 * double's calls (Asterisk's documented behaviour), and the events that come back as {@link PbxEvent}s.
 */
class AmiMediaControlTests {

	private static final String USER = "signaling-api";

	private static final String SECRET = "Pbx-s3cret";

	private static final String CALL_ID = "call-0123456789abcdef0123456789abcdef";

	private static final String MONITOR_ID = "mon-0123456789abcdef0123456789abcdef";

	private final Clock clock = Clock.fixed(Instant.parse("2026-03-02T10:15:30Z"), ZoneOffset.UTC);

	private final List<Object> published = new CopyOnWriteArrayList<>();

	private AmiServerDouble ami;

	private AmiConnection connection;

	private AmiPbx pbx;

	private AmiMediaControl media;

	private Legs legs;

	@BeforeEach
	void anAnsweredCall() throws IOException {
		ami = AmiServerDouble.start(USER, SECRET);
		AsteriskProperties properties = new AsteriskProperties(ami.host(), ami.port(), USER, SECRET,
				Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ofMillis(50),
				Duration.ofMillis(200), "PJSIP/{dn}@kamailio", "click-to-dial", 1, List.of());
		AmiConnections nodes = new AmiConnections(properties, new SimpleMeterRegistry(), clock);
		connection = nodes.all().get(0);
		pbx = new AmiPbx(nodes, properties, published::add, clock);
		media = new AmiMediaControl(pbx, properties);
		connection.start();
		eventually().until(() -> connection.status().isConnected());
		pbx.originate(new OriginateCommand(CALL_ID, "5001", "5551234567", null, Duration.ofSeconds(30), false));
		SimulatedCalls calls = ami.calls();
		eventually().until(() -> calls.customerUniqueId(CALL_ID) != null
				&& !calls.bridgeOf(calls.customerUniqueId(CALL_ID)).isEmpty());
		legs = new Legs(null, CALL_ID, calls.agentChannel(CALL_ID), calls.customerUniqueId(CALL_ID));
		ami.clearReceived();
	}

	@AfterEach
	void stop() {
		pbx.destroy();
		connection.stop();
		ami.close();
	}

	@Test
	void holdRedirectsBothLegsAtOnceAndUnholdBridgesThemAgain() {
		media.hold(legs);

		AmiMessage redirect = ami.receivedActions("Redirect").get(0);
		assertThat(redirect.get("Channel")).isEqualTo(legs.customerUniqueId());
		assertThat(redirect.get("Context")).isEqualTo("signaling-hold");
		assertThat(redirect.get("Exten")).isEqualTo("customer");
		assertThat(redirect.get("Priority")).isEqualTo("1");
		assertThat(redirect.get("ExtraChannel")).isEqualTo(CALL_ID);
		assertThat(redirect.get("ExtraContext")).isEqualTo("signaling-hold");
		assertThat(redirect.get("ExtraExten")).isEqualTo("agent");
		assertThat(redirect.headers()).extracting((header) -> header.name().toLowerCase(Locale.ROOT))
			.containsExactlyInAnyOrder("action", "actionid", "channel", "context", "exten", "priority", "extrachannel",
					"extracontext", "extraexten", "extrapriority");
		// one CRLF per header plus the blank line: nothing else reached the socket
		assertThat(redirect.raw()).endsWith("\r\n\r\n").doesNotContain("\r\n\r\n\r\n");
		assertThat(redirect.raw().split("\r\n", -1)).hasSize(redirect.headers().size() + 2);
		assertThat(ami.calls().isHeld(CALL_ID)).isTrue();
		assertThat(ami.calls().bridgeOf(CALL_ID)).as("the agent left the bridge").isEmpty();

		media.unhold(legs);

		AmiMessage bridge = ami.receivedActions("Bridge").get(0);
		assertThat(bridge.get("Channel1")).isEqualTo(CALL_ID);
		assertThat(bridge.get("Channel2")).isEqualTo(legs.customerUniqueId());
		assertThat(ami.calls().isHeld(CALL_ID)).isFalse();
		assertThat(ami.calls().bridgeOf(CALL_ID)).isNotEmpty().isEqualTo(ami.calls().bridgeOf(legs.customerUniqueId()));
	}

	@Test
	void dtmfGoesDigitByDigitTowardTheCustomer() {
		for (char digit : "12#".toCharArray()) {
			media.dtmf(legs, digit, 150);
		}

		assertThat(ami.receivedActions("PlayDTMF")).extracting((action) -> action.get("Channel") + " "
				+ action.get("Digit") + " " + action.get("Duration"))
			.containsExactly(legs.customerUniqueId() + " 1 150", legs.customerUniqueId() + " 2 150",
					legs.customerUniqueId() + " # 150");
		assertThat(ami.calls().dtmfSent(legs.customerUniqueId())).isEqualTo("12#");
	}

	@Test
	void muteSetsTheAgentLegsAudio() {
		media.mute(legs, "in", true);

		// Setvar of the MUTEAUDIO() function: write=call, where the MuteAudio action needs write=system
		AmiMessage mute = ami.receivedActions("Setvar").get(0);
		assertThat(mute.get("Channel")).isEqualTo(CALL_ID);
		assertThat(mute.get("Variable")).isEqualTo("MUTEAUDIO(in)");
		assertThat(mute.get("Value")).isEqualTo("on");
		assertThat(ami.receivedActions("MuteAudio")).isEmpty();
		assertThat(ami.calls().audioMute(CALL_ID).in()).isTrue();
		assertThat(ami.calls().audioMute(CALL_ID).out()).isFalse();
		media.mute(legs, "in", false);
		assertThat(ami.calls().audioMute(CALL_ID).in()).isFalse();
	}

	@Test
	void aRecordingStartsWithItsIdPausesAndStops() {
		String id = media.startRecording(legs, "rec-0123456789abcdef0123456789abcdef.wav");

		AmiMessage start = ami.receivedActions("MixMonitor").get(0);
		assertThat(start.get("Channel")).isEqualTo(CALL_ID);
		assertThat(start.get("File")).isEqualTo("rec-0123456789abcdef0123456789abcdef.wav");
		assertThat(start.get("Options")).isEqualTo("i(SIGNALING_MIXMONITOR_ID)");
		assertThat(id).as("the MixMonitorID Asterisk answered").isNotEmpty();
		assertThat(ami.calls().isRecording(CALL_ID)).isTrue();

		media.pauseRecording(legs, true);
		AmiMessage pause = ami.receivedActions("MixMonitorMute").get(0);
		assertThat(pause.get("Direction")).isEqualTo("both");
		assertThat(pause.get("State")).isEqualTo("1");
		assertThat(ami.calls().isRecordingMuted(CALL_ID)).isTrue();
		media.pauseRecording(legs, false);
		assertThat(ami.calls().isRecordingMuted(CALL_ID)).isFalse();

		media.stopRecording(legs, id);
		assertThat(ami.receivedActions("StopMixMonitor").get(0).get("MixMonitorID")).isEqualTo(id);
		assertThat(ami.calls().isRecording(CALL_ID)).isFalse();
	}

	@Test
	void aBlindTransferSendsTheCustomerOnAndTheAgentLegHangsUp() {
		media.blindTransfer(legs, "5002");

		AmiMessage transfer = ami.receivedActions("BlindTransfer").get(0);
		assertThat(transfer.get("Channel")).isEqualTo(CALL_ID);
		assertThat(transfer.get("Exten")).isEqualTo("5002");
		assertThat(transfer.get("Context")).isEqualTo("click-to-dial");
		eventually().until(() -> published.stream()
			.anyMatch((event) -> event instanceof PbxEvent.LegHungUp hungUp && hungUp.uniqueId().equals(CALL_ID)));
		assertThat(ami.calls().isLive(legs.customerUniqueId())).as("the customer goes on").isTrue();
	}

	@Test
	void anAttendedTransferRingsTheTargetAndCompletesWhenTheAgentLeaves() {
		media.attendedTransfer(legs, "5002");

		AmiMessage transfer = ami.receivedActions("Atxfer").get(0);
		assertThat(transfer.get("Channel")).isEqualTo(CALL_ID);
		assertThat(transfer.get("Exten")).isEqualTo("5002");
		assertThat(transfer.get("Context")).isEqualTo("click-to-dial");
		eventually().until(() -> ami.calls().transferTargetUniqueId(CALL_ID) != null);
		String target = ami.calls().transferTargetUniqueId(CALL_ID);
		eventually().until(() -> published.stream()
			.anyMatch((event) -> event instanceof PbxEvent.LegAnswered answered && answered.uniqueId().equals(target)
					&& answered.callId().equals(CALL_ID)));

		media.completeAttendedTransfer(legs);

		assertThat(ami.receivedActions("Hangup").get(0).get("Channel")).isEqualTo(CALL_ID);
		eventually().until(() -> ami.calls().bridgeOf(target) != null
				&& ami.calls().bridgeOf(target).equals(ami.calls().bridgeOf(legs.customerUniqueId())));
		eventually().until(() -> published.stream()
			.anyMatch((event) -> event instanceof PbxEvent.LegHungUp hungUp && hungUp.uniqueId().equals(CALL_ID)));
		assertThat(ami.calls().isLive(legs.customerUniqueId())).as("the customer talks to the target").isTrue();
	}

	@Test
	void anAttendedTransferCancelledBringsTheAgentBack() {
		media.attendedTransfer(legs, "5002");
		eventually().until(() -> ami.calls().transferTargetUniqueId(CALL_ID) != null);
		String target = ami.calls().transferTargetUniqueId(CALL_ID);

		media.cancelAttendedTransfer(legs);

		assertThat(ami.receivedActions("CancelAtxfer").get(0).get("Channel")).isEqualTo(CALL_ID);
		eventually().until(() -> !ami.calls().isLive(target)
				&& ami.calls().bridgeOf(CALL_ID).equals(ami.calls().bridgeOf(legs.customerUniqueId())));
	}

	@Test
	void aMonitorRingsTheSupervisorIntoChanSpyAndSwitchesModeAndEndsAlone() {
		media.monitor(legs, MONITOR_ID, "5009", MonitorMode.LISTEN);

		AmiMessage originate = ami.receivedActions("Originate").get(0);
		assertThat(originate.get("Channel")).isEqualTo("PJSIP/5009@kamailio");
		assertThat(originate.get("Application")).isEqualTo("ChanSpy");
		assertThat(originate.get("Data")).isEqualTo(legs.agentChannel() + ",qdE");
		assertThat(originate.get("ChannelId")).isEqualTo(MONITOR_ID);
		assertThat(originate.get("Async")).isEqualTo("true");
		assertThat(originate.headers()).extracting((header) -> header.name().toLowerCase(Locale.ROOT))
			.containsExactlyInAnyOrder("action", "actionid", "channel", "application", "data", "channelid", "async",
					"timeout", "callerid");
		assertThat(originate.raw().split("\r\n", -1)).hasSize(originate.headers().size() + 2);
		eventually().until(() -> published.contains(new PbxEvent.MonitorAnswered(MONITOR_ID, clock.instant())));
		assertThat(ami.calls().spyMode(MONITOR_ID)).isEqualTo(SpyMode.LISTEN);

		media.monitorMode(null, MONITOR_ID, MonitorMode.WHISPER);
		AmiMessage press = ami.receivedActions("PlayDTMF").get(0);
		assertThat(press.get("Channel")).isEqualTo(MONITOR_ID);
		assertThat(press.get("Digit")).isEqualTo("5");
		assertThat(press.get("Receive")).isEqualTo("true");
		assertThat(ami.calls().spyMode(MONITOR_ID)).isEqualTo(SpyMode.WHISPER);

		media.endMonitor(null, MONITOR_ID);
		eventually().until(() -> published.contains(new PbxEvent.MonitorEnded(MONITOR_ID, clock.instant())));
		assertThat(ami.calls().isLive(CALL_ID)).as("the call goes on").isTrue();
		assertThat(published).noneMatch((event) -> event instanceof PbxEvent.LegHungUp hungUp
				&& hungUp.callId().equals(CALL_ID));
	}

	@Test
	void bargeAndWhisperAreChanSpysOptions() {
		assertThat(AmiMediaControl.spyOptions(MonitorMode.WHISPER)).isEqualTo("qdEw");
		assertThat(AmiMediaControl.spyOptions(MonitorMode.BARGE)).isEqualTo("qdEB");
	}

	@ParameterizedTest
	@ValueSource(strings = { "PJSIP/x,qB", "PJSIP/x\r\nAction: Originate", "PJSIP/x\"", "/PJSIP/x/", "" })
	void aHostileChannelNameReachesNoWire(String agentChannel) {
		Legs hostile = new Legs(null, CALL_ID, agentChannel, legs.customerUniqueId());

		assertThatThrownBy(() -> media.monitor(hostile, MONITOR_ID, "5009", MonitorMode.LISTEN))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> media.hold(new Legs(null, CALL_ID, legs.agentChannel(), agentChannel + "x,y")))
			.isInstanceOf(IllegalArgumentException.class);
		assertThat(ami.receivedMessages()).noneMatch((message) -> message.get("Action") != null
				&& !"Ping".equalsIgnoreCase(message.get("Action")));
	}

	@Test
	void asteriskRefusingIsAPbxRejectionWithItsReason() {
		Legs gone = new Legs(null, CALL_ID, legs.agentChannel(), "1700000000.999");

		assertThatThrownBy(() -> media.hold(gone)).isInstanceOf(PbxRejectedException.class)
			.hasMessageContaining("does not exist");
	}

	private static ConditionFactory eventually() {
		return await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
	}

}
