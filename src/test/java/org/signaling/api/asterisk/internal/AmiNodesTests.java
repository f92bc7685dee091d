package org.signaling.api.asterisk.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.asterisk.AsteriskProperties;
import org.signaling.api.call.OriginateCommand;
import org.signaling.api.call.PbxChannel;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.ComponentHealth;
import org.signaling.api.testsupport.ami.AmiServerDouble;
import org.signaling.api.testsupport.ami.CallScript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Several Asterisk nodes ({@code signaling.asterisk.nodes}): {@link AmiPbx} over one real asterisk-java session per
 * node, against two {@link AmiServerDouble}s on loopback. A new call goes to a connected node, a hang-up to the node
 * that placed the call, and one node being away neither stops calls nor reaches the other node's calls.
 */
class AmiNodesTests {

	private static final String USER = "signaling-api";

	private static final String SECRET = "Nodes-s3cret";

	private final Clock clock = Clock.systemUTC();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private AmiServerDouble east;

	private AmiServerDouble west;

	private AmiConnections connections;

	private AmiPbx pbx;

	@BeforeEach
	void start() throws IOException {
		east = AmiServerDouble.start(USER, SECRET);
		west = AmiServerDouble.start(USER, SECRET);
		east.calls().defaultScript(CallScript.ANSWER_AND_BRIDGE);
		west.calls().defaultScript(CallScript.ANSWER_AND_BRIDGE);
		AsteriskProperties properties = new AsteriskProperties(null, 5038, USER, SECRET, Duration.ofSeconds(1),
				Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ofMillis(50), Duration.ofMillis(200),
				"PJSIP/{dn}@kamailio", "click-to-dial", 1,
				List.of(new AsteriskProperties.Node("east", east.host(), east.port(), null, null),
						new AsteriskProperties.Node("west", west.host(), west.port(), null, null)));
		connections = new AmiConnections(properties, meters, clock);
		pbx = new AmiPbx(connections, properties, (event) -> {
		}, clock);
		connections.start();
		eventually().until(() -> connections.all().stream().allMatch((node) -> node.status().isConnected()));
	}

	@AfterEach
	void stop() {
		pbx.destroy();
		connections.stop();
		east.close();
		west.close();
	}

	@Test
	void newCallsGoToTheNodesInTurnAndEachSaysWhereItWent() {
		List<String> nodes = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			nodes.add(pbx.originate(command(i)));
		}

		assertThat(nodes).containsOnly("east", "west").containsExactlyInAnyOrder("east", "east", "west", "west");
		assertThat(east.receivedActions("Originate")).hasSize(2);
		assertThat(west.receivedActions("Originate")).hasSize(2);
		for (int i = 0; i < 4; i++) {
			AmiServerDouble placedOn = nodes.get(i).equals("east") ? east : west;
			assertThat(placedOn.receivedActions("Originate")).extracting((action) -> action.get("ChannelId"))
				.contains(callId(i));
		}
	}

	@Test
	void aNodeThatIsAwayGetsNoNewCallsWhileAnotherIsConnected() {
		west.stopListening();
		west.dropAllConnections();
		eventually().until(() -> !connections.of("west").orElseThrow().status().isConnected());

		List<String> nodes = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			nodes.add(pbx.originate(command(i)));
		}

		assertThat(nodes).containsOnly("east");
		assertThat(east.receivedActions("Originate")).hasSize(3);
		assertThat(west.receivedActions("Originate")).isEmpty();
	}

	@Test
	void withEveryNodeAwayACallIsRefusedAsUnavailable() {
		for (AmiServerDouble node : List.of(east, west)) {
			node.stopListening();
			node.dropAllConnections();
		}
		eventually().until(() -> connections.all().stream().noneMatch((node) -> node.status().isConnected()));

		assertThatThrownBy(() -> pbx.originate(command(0))).isInstanceOf(BackendUnavailableException.class)
			.hasMessage("Asterisk unreachable");
	}

	@Test
	void aHangUpGoesToTheNodeThatPlacedTheCallOnly() {
		String node = pbx.originate(command(0));
		AmiServerDouble placedOn = node.equals("east") ? east : west;
		AmiServerDouble other = (placedOn == east) ? west : east;
		eventually().until(() -> placedOn.calls().isLive(callId(0)));

		assertThat(pbx.hangup(node, callId(0))).isTrue();

		assertThat(placedOn.receivedActions("Hangup")).extracting((action) -> action.get("Channel"))
			.containsExactly(callId(0));
		assertThat(other.receivedActions("Hangup")).isEmpty();
	}

	@Test
	void aHangUpForTheNodeThatIsAwayIsUnavailableAndNeverSentElsewhere() {
		String node = pbx.originate(command(0));
		AmiServerDouble placedOn = node.equals("east") ? east : west;
		AmiServerDouble other = (placedOn == east) ? west : east;
		placedOn.stopListening();
		placedOn.dropAllConnections();
		eventually().until(() -> !connections.of(node).orElseThrow().status().isConnected());

		assertThatThrownBy(() -> pbx.hangup(node, callId(0))).isInstanceOf(BackendUnavailableException.class);

		assertThat(other.receivedActions("Hangup")).isEmpty();
	}

	@Test
	void aCallWhoseNodeIsUnknownIsHungUpWhereverItIs() {
		String node = pbx.originate(command(0));
		AmiServerDouble placedOn = node.equals("east") ? east : west;
		eventually().until(() -> placedOn.calls().isLive(callId(0)));

		assertThat(pbx.hangup(null, callId(0))).isTrue();
		assertThat(pbx.hangup("a-node-no-longer-configured", callId(1))).isFalse();

		assertThat(placedOn.calls().isLive(callId(0))).isFalse();
	}

	@Test
	void channelsAreListedPerNodeOrForAllNodes() {
		String first = pbx.originate(command(0));
		String second = pbx.originate(command(1));
		assertThat(first).isNotEqualTo(second);
		eventually().until(() -> (first.equals("east") ? east : west).calls().isLive(callId(0))
				&& (second.equals("east") ? east : west).calls().isLive(callId(1)));

		assertThat(pbx.channels(first)).extracting(PbxChannel::linkedId).containsOnly(callId(0));
		assertThat(pbx.channels(second)).extracting(PbxChannel::linkedId).containsOnly(callId(1));
		assertThat(pbx.channels(null)).extracting(PbxChannel::linkedId).contains(callId(0), callId(1));
	}

	@Test
	void healthIsUpWhileOneNodeIsConnectedAndShowsEachNode() {
		AsteriskHealthIndicator health = new AsteriskHealthIndicator(connections, clock);
		assertThat(health.componentHealth().status()).isEqualTo(ComponentHealth.Status.UP);
		assertThat(health.componentHealth().details()).containsEntry("connectedNodes", 2).containsEntry("nodeCount", 2);

		west.stopListening();
		west.dropAllConnections();
		eventually().until(() -> !connections.of("west").orElseThrow().status().isConnected());

		ComponentHealth oneAway = health.componentHealth();
		assertThat(oneAway.status()).isEqualTo(ComponentHealth.Status.UP);
		assertThat(oneAway.details()).containsEntry("connectedNodes", 1);
		assertThat(oneAway.lastError()).startsWith("west: ");
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> nodes = (List<Map<String, Object>>) oneAway.details().get("nodes");
		assertThat(nodes).extracting((node) -> node.get("name") + "=" + node.get("state"))
			.containsExactly("east=CONNECTED", "west=RECONNECTING");
		assertThat(meters.get("signaling.asterisk.connected").tag("node", "west").gauge().value()).isZero();
		assertThat(meters.get("signaling.asterisk.connected").tag("node", "east").gauge().value()).isOne();

		east.stopListening();
		east.dropAllConnections();
		eventually().until(() -> health.status() == ComponentHealth.Status.DOWN);
		assertThat(health.componentHealth().details()).containsEntry("connectedNodes", 0);
	}

	private static OriginateCommand command(int i) {
		return new OriginateCommand(callId(i), "5001", "555123400" + i, null, Duration.ofSeconds(30), false);
	}

	private static String callId(int i) {
		return "call-0123456789abcdef0123456789abcde" + i;
	}

	private static ConditionFactory eventually() {
		return await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
	}

}
