package org.signaling.api.browser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.signaling.api.testsupport.ApiClient;
import org.signaling.api.testsupport.KamailioProcess;
import org.signaling.api.testsupport.LiveService;
import org.signaling.api.testsupport.TestCredentials;
import org.signaling.api.testsupport.TestTls;
import org.signaling.api.testsupport.ami.AmiMessage;
import org.signaling.api.testsupport.ami.AmiServerDouble;
import org.signaling.api.testsupport.ami.SimulatedCalls.SpyMode;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A supervisor steps into an agent's call from the dashboard, in real headless Chromium: the agent's softphone page
 * (registered with a real Kamailio) and the dashboard, with the AMI double as Asterisk carrying the agent's
 * click-to-dial. Whisper rings the supervisor's phone into ChanSpy, and the agent's page says so; barge switches the
 * mode, Leave hangs the supervisor's leg up and the page stops saying it. Listen is never said to the agent.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SupervisorMonitorIT {

	static {
		LoopbackNamespace.assertOnlyLoopback();
	}

	static final Duration BOUND = Duration.ofSeconds(30);

	static final TestTls TLS = TestTls.create();

	static final KamailioProcess KAMAILIO = KamailioProcess.start("127.0.0.1:9");

	static final AmiServerDouble ASTERISK = LiveService.startAsterisk();

	static final List<Chromium> BROWSERS = new ArrayList<>();

	static DashboardPage dashboard;

	static AgentPage agent;

	@RegisterExtension
	static final FailureDiagnostics DIAGNOSTICS = new FailureDiagnostics(SupervisorMonitorIT::diagnostics,
			() -> List.copyOf(BROWSERS));

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		LiveService.register(registry, TLS, KAMAILIO, "127.0.0.1:9");
		LiveService.registerAsterisk(registry, ASTERISK);
		registry.add("signaling.kamailio.evapi-address", KAMAILIO::evapiAddress);
		registry.add("signaling.dn.directory", () -> "5001-5009");
		registry.add("signaling.pages.websocket-url", KAMAILIO::wsUrl);
		registry.add("signaling.pages.sip-domain", () -> "127.0.0.1");
	}

	@AfterAll
	static void stopAll() {
		try {
			BROWSERS.forEach(Chromium::close);
		}
		finally {
			ASTERISK.close();
			KAMAILIO.close();
		}
	}

	@Test
	void aSupervisorWhispersFromTheDashboardAndTheAgentPageSaysSo() {
		ApiClient api = new ApiClient(baseUrl(), TLS.clientContext());
		await().atMost(BOUND).until(() -> "up".equals(api.componentStatus("asterisk")));
		agent = AgentPage.open(launch("agent-5001"), baseUrl(), "5001");
		agent.signIn(TestCredentials.agentToken("5001"));
		agent.awaitSignedIn(BOUND);
		dashboard = DashboardPage.open(launch("dashboard"), baseUrl());
		dashboard.signIn(TestCredentials.ADMIN_KEY);

		// the agent's click-to-dial, carried by Asterisk (the double answers both legs and bridges them)
		String callId = api.post("/api/call/make", "{\"from\":\"5001\",\"to\":\"5551234567\"}").json()
			.path("call_id")
			.asString();
		await("the call answered on the dashboard").atMost(BOUND)
			.untilAsserted(() -> assertThat(dashboard.callState(callId)).isEqualTo("confirmed"));

		dashboard.monitor(callId, "5009", "whisper");

		await("the agent page says the supervisor whispers").atMost(BOUND).untilAsserted(() -> {
			assertThat(agent.supervisorMode()).isEqualTo("whisper");
			assertThat(agent.supervisorNotice()).isEqualTo("Supervisor 5009 is whispering to you");
		});
		assertThat(dashboard.monitorMode(callId)).isEqualTo("whisper");
		AmiMessage originate = ASTERISK.receivedActions("Originate")
			.stream()
			.filter((action) -> "ChanSpy".equals(action.get("Application")))
			.findFirst()
			.orElseThrow();
		String monitorId = originate.get("ChannelId");
		assertThat(originate.get("Channel")).isEqualTo("PJSIP/5009@kamailio");
		assertThat(originate.get("Data")).isEqualTo(ASTERISK.calls().agentChannel(callId) + ",qdEw");
		assertThat(ASTERISK.calls().spyMode(monitorId)).isEqualTo(SpyMode.WHISPER);
		agent.browser().screenshot("agent-supervisor-whispering");
		dashboard.browser().screenshot("dashboard-whispering");

		dashboard.monitor(callId, "5009", "barge");
		await("barge said on the agent page").atMost(BOUND).untilAsserted(() -> {
			assertThat(agent.supervisorMode()).isEqualTo("barge");
			assertThat(ASTERISK.calls().spyMode(monitorId)).isEqualTo(SpyMode.BARGE);
		});

		dashboard.monitor(callId, "5009", "listen");
		await("listen is not said to the agent").atMost(BOUND).untilAsserted(() -> {
			assertThat(ASTERISK.calls().spyMode(monitorId)).isEqualTo(SpyMode.LISTEN);
			assertThat(agent.supervisorMode()).isEmpty();
		});

		dashboard.monitor(callId, "5009", "whisper");
		await().atMost(BOUND).untilAsserted(() -> assertThat(agent.supervisorMode()).isEqualTo("whisper"));
		dashboard.leaveMonitor(callId);
		await("the supervisor gone, the call on").atMost(BOUND).untilAsserted(() -> {
			assertThat(agent.supervisorMode()).isEmpty();
			assertThat(ASTERISK.calls().isLive(monitorId)).isFalse();
			assertThat(dashboard.monitorMode(callId)).isEmpty();
		});
		assertThat(ASTERISK.calls().isLive(callId)).isTrue();
		ASTERISK.calls().hangupFromFarSide(callId);
		await().atMost(BOUND).untilAsserted(() -> assertThat(dashboard.callIds()).doesNotContain(callId));
	}

	private Chromium launch(String name) {
		Chromium browser = Chromium.launch(name);
		BROWSERS.add(browser);
		return browser;
	}

	private String baseUrl() {
		return "https://localhost:" + port;
	}

	private static String diagnostics() {
		StringBuilder text = new StringBuilder();
		if (dashboard != null) {
			text.append(dashboard.diagnostics()).append('\n');
		}
		if (agent != null) {
			text.append(agent.diagnostics()).append('\n');
		}
		text.append("Kamailio log tail:\n").append(KAMAILIO.logTail(40));
		return text.toString();
	}

}
