package org.signaling.api;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.signaling.api.testsupport.ApiClient;
import org.signaling.api.testsupport.FreePorts;
import org.signaling.api.testsupport.KamailioProcess;
import org.signaling.api.testsupport.KamailioRpc;
import org.signaling.api.testsupport.LiveService;
import org.signaling.api.testsupport.Sipp;
import org.signaling.api.testsupport.TestTls;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A pair of real Kamailio nodes replicating over DMQ (kamailio.cfg with {@code -A WITH_DMQ}), and the service reading
 * them through {@code signaling.kamailio.rpc-urls}: an agent registered on one node is known to the other, and when
 * the node the service reads goes away, the service answers from the other.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KamailioPairIT {

	static final Duration BOUND = Duration.ofSeconds(30);

	static final TestTls TLS = TestTls.create();

	static final int DMQ_A = FreePorts.udp();

	static final int DMQ_B = FreePorts.udp();

	static final KamailioProcess NODE_A = KamailioProcess.start("127.0.0.1:9", dmq(DMQ_A, DMQ_B, 0));

	static final KamailioProcess NODE_B = KamailioProcess.start("127.0.0.1:9", dmq(DMQ_B, DMQ_A, 1));

	static final Sipp SIPP_ON_A = new Sipp(NODE_A);

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		LiveService.register(registry, TLS, NODE_A, "127.0.0.1:9");
		registry.add("signaling.kamailio.rpc-urls[0]", NODE_A::rpcUrl);
		registry.add("signaling.kamailio.rpc-urls[1]", NODE_B::rpcUrl);
		registry.add("signaling.kamailio.evapi-addresses[0]", NODE_A::evapiAddress);
		registry.add("signaling.kamailio.evapi-addresses[1]", NODE_B::evapiAddress);
	}

	@Autowired
	MeterRegistry meters;

	@AfterAll
	static void stop() {
		SIPP_ON_A.close();
		NODE_A.close();
		NODE_B.close();
	}

	@Test
	void anAgentRegisteredAndInACallOnOneNodeIsStillSeenInItWhenThatNodeGoes() throws Exception {
		ApiClient api = new ApiClient("https://localhost:" + port, TLS.clientContext());
		try (Sipp.Agent agent = SIPP_ON_A.agentUas("5001"); Sipp.Agent caller = SIPP_ON_A.call("5002", "5001")) {
			await().atMost(BOUND).until(() -> "busy".equals(api.get("/api/dn/5001").json().path("status")
				.asString()));
			KamailioRpc nodeB = new KamailioRpc(NODE_B.rpcUrl());
			await().atMost(BOUND).untilAsserted(() -> {
				assertThat(nodeB.call("ul.dump")).as("registration replicated").contains("5001");
				assertThat(nodeB.call("dlg.list")).as("dialog replicated").contains("sip:5002@");
			});

			NODE_A.close();

			await().atMost(BOUND).untilAsserted(() -> {
				ApiClient.Response dn = api.get("/api/dn/5001");
				assertThat(dn.status()).isEqualTo(200);
				assertThat(dn.json().path("status").asString()).isEqualTo("busy");
				assertThat(api.get("/api/calls/dn/5001").json().path("count").asInt()).isOne();
			});
			assertThat(api.componentStatus("kamailio")).isEqualTo("up");
		}
	}

	@Test
	void aRegistrationSavedOnTheSecondNodeIsPushedByIt() throws Exception {
		ApiClient api = new ApiClient("https://localhost:" + port, TLS.clientContext());
		await().atMost(BOUND).until(() -> "connected".equals(api.get("/api/health").json().path("components")
			.path("kamailio").path("details").path("pushNodes").path(NODE_B.evapiAddress()).asString()));

		try (Sipp sippOnB = new Sipp(NODE_B); Sipp.Agent agent = sippOnB.agentUas("5003")) {
			// only node B saw the REGISTER (node A has it over DMQ, with no push): its push names the AoR
			await().atMost(BOUND).until(() -> pushedRegistrations(NODE_B) >= 1);
			await().atMost(BOUND).until(() -> "available".equals(api.get("/api/dn/5003").json().path("status")
				.asString()));
		}
	}

	private double pushedRegistrations(KamailioProcess node) {
		Counter counter = meters.find("signaling.kamailio.push.events")
			.tags("event", "register", "node", node.evapiAddress())
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	/** This node's DMQ port, its peer's, and its place in the pair (its dialogs' h_id start, step 2). */
	private static String[] dmq(int ownPort, int peerPort, int node) {
		return new String[] { "WITH_DMQ", "DMQ_PORT=" + ownPort,
				"DMQ_ADDRESS=\"sip:" + KamailioProcess.LISTEN_IP + ":" + ownPort + "\"",
				"DMQ_PEER=\"sip:" + KamailioProcess.LISTEN_IP + ":" + peerPort + "\"",
				"DMQ_PEER_IP=\"" + KamailioProcess.LISTEN_IP + "\"", "DLG_H_ID_START=" + node, "DLG_H_ID_STEP=2" };
	}

}
