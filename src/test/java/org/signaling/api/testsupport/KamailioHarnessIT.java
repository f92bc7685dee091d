package org.signaling.api.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Self-test of the Kamailio/SIPp harness against the real binaries: registrations, a held call
 * seen and ended over JSON-RPC, the Genesys OPTIONS probe going up and down, evapi push events,
 * and a Kamailio restart on the same ports.
 */
class KamailioHarnessIT {

	private static final Duration STEP = Duration.ofSeconds(10);

	/**
	 * Every frame the config may push: constant hints, and a registration's AoR only when it is a DN (the one value
	 * taken from a SIP message, with nothing in it that needs escaping).
	 */
	private static final String PUSH_FRAMES =
			"([0-9]{2}:\\{\"event\":\"register\",\"aor\":\"[A-Za-z0-9+*#._-]{1,64}\"\\},"
			+ "|18:\\{\"event\":\"dialog\"\\},|22:\\{\"event\":\"dispatcher\"\\},)*";

	@Test
	void drivesARealKamailioWithSippAgents() throws IOException {
		int genesysPort = FreePorts.udp();
		try (KamailioProcess kamailio = KamailioProcess.start("127.0.0.1:" + genesysPort);
				Sipp sipp = new Sipp(kamailio)) {
			KamailioRpc rpc = kamailio.rpc();
			assertThat(rpc.result("core.version").asString()).startsWith("kamailio 5.");

			// fake Genesys SIP Server answers the dispatcher's OPTIONS -> active + probing
			Sipp.Agent genesys = sipp.genesysResponder(genesysPort);
			await("Genesys probed up").atMost(STEP).pollInterval(Duration.ofMillis(200))
					.until(() -> genesysFlags(rpc), "AP"::equals);

			// evapi: a client connected before a REGISTER gets a "register" hint naming the AoR
			try (Socket evapi = new Socket()) {
				evapi.connect(new InetSocketAddress(kamailio.listenIp(), kamailio.evapiPort()), 2000);
				// evapi drops what happens before it has taken the client in: wait for the config's log line
				String accepted = "evapi client connected from 127.0.0.1:" + evapi.getLocalPort();
				await("evapi client accepted").atMost(STEP).pollInterval(Duration.ofMillis(50))
						.until(() -> kamailio.logTail(200).contains(accepted));
				sipp.register("5009");
				String pushed = readUntil(evapi, "33:{\"event\":\"register\",\"aor\":\"5009\"},");
				// whole frames only (a frame after the awaited one may have come in part)
				String frames = pushed.substring(0, pushed.lastIndexOf(',') + 1);
				assertThat(frames).contains("33:{\"event\":\"register\",\"aor\":\"5009\"},").matches(PUSH_FRAMES);
			}

			// agents: 5001 registration only (its call comes later), 5002 answers calls
			int port5001 = sipp.register("5001");
			Sipp.Agent callee = sipp.agentUas("5002");
			JsonNode contact5001 = rpc.result("ul.lookup", "location", "5001").path("Contacts").get(0);
			assertThat(contact5001.path("Contact").path("Address").asString())
					.isEqualTo("sip:5001@127.0.0.1:" + port5001);
			assertThat(rpc.result("ul.dump", "brief").toString()).contains("\"5001\"", "\"5002\"");

			// 5001 calls 5002; the call is held until a BYE comes
			Sipp.Agent call = sipp.call("5001", "5002");
			JsonNode dialog = await("one confirmed dialog").atMost(STEP).pollInterval(Duration.ofMillis(100))
					.until(() -> rpc.result("dlg.list"), list -> list.size() == 1
							&& list.get(0).path("state").asInt() == 4);
			assertThat(dialog.get(0).path("from_uri").asString()).isEqualTo("sip:5001@127.0.0.1");
			assertThat(dialog.get(0).path("to_uri").asString()).isEqualTo("sip:5002@127.0.0.1");
			assertThat(dialog.get(0).path("profiles").toString()).contains("\"agent\":\"5001\"");

			// end it over JSON-RPC: ids as JSON numbers
			long hEntry = dialog.get(0).path("h_entry").asLong();
			long hId = dialog.get(0).path("h_id").asLong();
			assertThat(rpc.result("dlg.end_dlg", hEntry, hId).isEmpty()).isTrue();
			await("no dialogs").atMost(STEP).pollInterval(Duration.ofMillis(100))
					.until(() -> rpc.result("dlg.list").isEmpty());
			// both get their BYE: the config's BYE race guard (on by default) keeps Kamailio 5.6 from
			// skipping the callee's (see kamailio.cfg; KamailioDialogControlIT repeats this many times)
			await("caller got BYE and ended").atMost(STEP).pollInterval(Duration.ofMillis(100))
					.until(() -> call.countReceived("BYE ") == 1 && !call.isAlive());
			assertThat(call.awaitExit(Duration.ofSeconds(1))).isZero();
			await("callee got BYE").atMost(STEP).pollInterval(Duration.ofMillis(100))
					.until(() -> callee.countReceived("BYE ") == 1);
			assertThat(callee.isAlive()).isTrue();

			// Genesys stops answering -> inactive after one timed-out probe
			genesys.stop();
			await("Genesys probed down").atMost(STEP).pollInterval(Duration.ofMillis(200))
					.until(() -> genesysFlags(rpc), "IP"::equals);

			// Kamailio down, then back on the same ports
			int rpcPort = kamailio.rpcPort();
			kamailio.stop();
			assertThat(kamailio.isRunning()).isFalse();
			assertThat(rpc.ping()).isFalse();
			kamailio.start();
			assertThat(kamailio.rpcPort()).isEqualTo(rpcPort);
			assertThat(new KamailioRpc("http://127.0.0.1:" + rpcPort + "/RPC").ping()).isTrue();
			// usrloc is memory-only: the restart forgot every registration
			assertThat(rpc.result("ul.dump", "brief").toString()).doesNotContain("\"5001\"");
		}
	}

	/** What evapi sent until {@code expected} arrived (or STEP passed, or 64 KB came without it). */
	private static String readUntil(Socket evapi, String expected) throws IOException {
		evapi.setSoTimeout((int) STEP.toMillis());
		InputStream in = evapi.getInputStream();
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		byte[] buffer = new byte[1024];
		long deadline = System.nanoTime() + STEP.toNanos();
		while (System.nanoTime() < deadline && received.size() < 65536) {
			String text = received.toString(StandardCharsets.UTF_8);
			if (text.contains(expected)) {
				return text;
			}
			int count;
			try {
				count = in.read(buffer);
			} catch (SocketTimeoutException e) {
				break;
			}
			if (count == -1) {
				break;
			}
			received.write(buffer, 0, count);
		}
		return received.toString(StandardCharsets.UTF_8);
	}

	private static String genesysFlags(KamailioRpc rpc) {
		return rpc.result("dispatcher.list").path("RECORDS").get(0).path("SET").path("TARGETS").get(0)
				.path("DEST").path("FLAGS").asString();
	}
}
