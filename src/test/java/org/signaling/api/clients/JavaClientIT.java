package org.signaling.api.clients;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.events.internal.EventStreams;
import org.signaling.api.testsupport.KamailioProcess;
import org.signaling.api.testsupport.LiveService;
import org.signaling.api.testsupport.Sipp;
import org.signaling.api.testsupport.TestCredentials;
import org.signaling.api.testsupport.TestTls;
import org.signaling.api.testsupport.ami.AmiServerDouble;
import org.signaling.api.testsupport.ami.CallScript;
import org.signaling.client.ActiveCall;
import org.signaling.client.CallHistory;
import org.signaling.client.CallMade;
import org.signaling.client.CallOptions;
import org.signaling.client.CallRecord;
import org.signaling.client.Dn;
import org.signaling.client.DnList;
import org.signaling.client.Event;
import org.signaling.client.EventSubscription;
import org.signaling.client.GenesysStatus;
import org.signaling.client.Health;
import org.signaling.client.SignalingApiException;
import org.signaling.client.SignalingClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Java client (clients/java) against the real service over TLS, a real Kamailio with SIPp agents 5001 and 5002,
 * and the AMI server double as Asterisk: every operation, the typed errors, and events with resume.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JavaClientIT {

	static final Duration BOUND = Duration.ofSeconds(30);

	static final TestTls TLS = TestTls.create();

	static final KamailioProcess KAMAILIO = KamailioProcess.start("127.0.0.1:9");

	static final Sipp SIPP = new Sipp(KAMAILIO);

	static final AmiServerDouble ASTERISK = LiveService.startAsterisk();

	static final List<AutoCloseable> AGENTS = new ArrayList<>();

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	SignalingClient api;

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		LiveService.register(registry, TLS, KAMAILIO, "127.0.0.1:9");
		LiveService.registerAsterisk(registry, ASTERISK);
		// a heartbeat every second: a stream the client closed is noticed (and ended) at once
		registry.add("signaling.events.heartbeat", () -> "1s");
	}

	@BeforeAll
	static void agents() {
		AGENTS.add(SIPP.agentUas("5001"));
		AGENTS.add(SIPP.agentUas("5002"));
	}

	@AfterAll
	static void stopBackends() throws Exception {
		for (AutoCloseable agent : AGENTS) {
			agent.close();
		}
		SIPP.close();
		KAMAILIO.close();
		ASTERISK.close();
	}

	@BeforeEach
	void setUp() {
		api = SignalingClient.builder(URI.create("https://localhost:" + port))
			.apiKey(TestCredentials.ADMIN_KEY)
			.sslContext(TLS.clientContext())
			.build();
		ASTERISK.calls().defaultScript(CallScript.ANSWER_AND_BRIDGE).resumeEvents();
		await().atMost(BOUND).until(() -> "up".equals(api.health().componentStatus("asterisk")));
		await().atMost(BOUND).until(() -> api.getDn("5001").available() && api.getDn("5002").available());
	}

	@Test
	void readsTheSeedsEndpoints() {
		Dn dn = api.getDn("5001");
		assertThat(dn.status()).isEqualTo("available");
		assertThat(dn.sipUri()).isEqualTo("sip:5001@127.0.0.1");
		assertThat(dn.registered()).isTrue();
		assertThat(dn.contacts()).isNotEmpty();

		DnList list = api.listDns();
		assertThat(list.dns()).extracting(DnList.Entry::dn).contains("5001", "5002");
		assertThat(list.count()).isEqualTo(list.dns().size());
		assertThat(list.dns()).filteredOn((entry) -> entry.dn().equals("5002"))
			.singleElement()
			.satisfies((entry) -> assertThat(entry.status()).isEqualTo("registered"));

		assertThat(api.getAgentCalls("5001").count()).isZero();
		assertThat(api.activeCallCount()).isZero();
		assertThat(api.activeCalls().timestamp()).matches("\\d+");

		// Genesys at 127.0.0.1:9 never answers: the service's 503 comes back as a value
		GenesysStatus genesys = api.genesysStatus();
		assertThat(genesys.connected()).isFalse();
		assertThat(genesys.server()).isEqualTo("127.0.0.1:9");
		assertThat(genesys.service()).isEqualTo("wwe");

		Health health = api.health();
		assertThat(health.status()).isIn("ok", "degraded");
		assertThat(health.componentStatus("kamailio")).isEqualTo("up");
		Health open = SignalingClient.builder(URI.create("https://localhost:" + port))
			.sslContext(TLS.clientContext())
			.build()
			.health();
		assertThat(open.service()).isEqualTo(health.service());
	}

	@Test
	void clickToDialReplaysItsIdempotencyKeyAndHangsUp() {
		String key = "java-client-" + UUID.randomUUID();
		CallOptions options = CallOptions.defaults().idempotencyKey(key).timeoutSeconds(20).autoAnswer(true);
		int originatesBefore = ASTERISK.receivedActions("Originate").size();

		CallMade made = api.clickToDial("5001", "5551238001", options);
		CallMade again = api.clickToDial("5001", "5551238001", options);

		assertThat(made.status()).isEqualTo("initiated");
		assertThat(made.replayed()).isFalse();
		assertThat(again.replayed()).isTrue();
		assertThat(again.callId()).isEqualTo(made.callId());
		assertThat(ASTERISK.receivedActions("Originate")).hasSize(originatesBefore + 1);

		String callId = made.callId();
		await().atMost(BOUND).until(() -> "confirmed".equals(api.getCall(callId).state()));
		CallRecord record = api.getCall(callId);
		assertThat(record.origin()).isEqualTo("api");
		assertThat(record.fromDn()).isEqualTo("5001");
		assertThat(record.answeredAt()).isNotNull();
		assertThat(api.getAgentCalls("5001").activeCalls()).extracting(ActiveCall::callId).contains(callId);
		assertThat(api.activeCallCount()).isPositive();
		assertThat(api.getDn("5001").status()).isEqualTo("busy");

		assertThat(api.hangup(callId).status()).isEqualTo("terminated");
		await().atMost(BOUND).until(() -> "ended".equals(api.getCall(callId).state()));
		assertThat(api.getCall(callId).endCause()).isEqualTo("hangup_api");
		CallHistory history = api.callHistory(CallHistory.Filter.all().dn("5001").limit(50));
		assertThat(history.calls()).extracting(CallRecord::callId).contains(callId);
	}

	@Test
	void errorsAreTyped() {
		assertThatThrownBy(() -> api.getDn("5999")).isInstanceOfSatisfying(SignalingApiException.class, (ex) -> {
			assertThat(ex.status()).isEqualTo(404);
			assertThat(ex.error()).isEqualTo("DN not found: 5999");
			assertThat(ex.requestId()).isNotBlank();
		});
		assertThatThrownBy(() -> api.getDn("50 01")).isInstanceOfSatisfying(SignalingApiException.class,
				(ex) -> assertThat(ex.status()).isEqualTo(400));
		assertThatThrownBy(() -> api.clickToDial("", "1003")).isInstanceOfSatisfying(SignalingApiException.class,
				(ex) -> {
					assertThat(ex.status()).isEqualTo(400);
					assertThat(ex.error()).isEqualTo("Missing required parameter: from");
				});
		assertThatThrownBy(() -> api.hangup("call-00000000000000000000000000000000"))
			.isInstanceOfSatisfying(SignalingApiException.class, (ex) -> assertThat(ex.status()).isEqualTo(404));
		SignalingClient stranger = SignalingClient.builder(URI.create("https://localhost:" + port))
			.apiKey("sk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
			.sslContext(TLS.clientContext())
			.build();
		assertThatThrownBy(stranger::listDns).isInstanceOfSatisfying(SignalingApiException.class,
				(ex) -> assertThat(ex.status()).isEqualTo(401));
	}

	@Test
	void subscribesToDnEventsAndResumesWithLastEventId() throws Exception {
		List<Event> live = new CopyOnWriteArrayList<>();
		List<Event> resumed = new CopyOnWriteArrayList<>();
		List<Integer> opened = new CopyOnWriteArrayList<>();
		int port;
		Event registered;
		try (EventSubscription events = api.events()
			.dn("5005")
			.type("dn.*")
			.onOpen(() -> opened.add(1))
			.onEvent(live::add)
			.open()) {
			await().atMost(BOUND).until(() -> !opened.isEmpty());
			port = SIPP.register("5005");
			await().atMost(BOUND).until(() -> live.stream().anyMatch((e) -> e.type().equals("dn.registered")));
			registered = live.stream().filter((e) -> e.type().equals("dn.registered")).findFirst().orElseThrow();
			assertThat(registered.subject()).isEqualTo("5005");
			assertThat(registered.data()).containsEntry("dn", "5005");
			assertThat(events.lastEventId()).isEqualTo(live.get(live.size() - 1).id());
		}

		// While nobody listens, 5005 goes away; resuming after "registered" delivers what was missed.
		SIPP.unregister("5005", port);
		await().atMost(BOUND).until(() -> !api.listDns().dns().stream().anyMatch((e) -> e.dn().equals("5005")
				&& e.status().equals("registered")));
		try (EventSubscription events = api.events()
			.dn("5005")
			.type("dn.*")
			.lastEventId(registered.id())
			.onEvent(resumed::add)
			.open()) {
			await().atMost(BOUND).until(() -> resumed.stream().anyMatch((e) -> e.type().equals("dn.unregistered")));
		}
		assertThat(resumed).extracting(Event::id).doesNotContain(registered.id());
		// closed subscriptions leave no stream open in the service
		await().atMost(BOUND).untilAsserted(() -> assertThat(EventStreams.open(context)).isZero());
		assertThat(resumed.get(0).sequence()).isGreaterThan(registered.sequence());
	}

}
