package org.signaling.api.hostile;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.testsupport.ApiClient;
import org.signaling.api.testsupport.FreePorts;
import org.signaling.api.testsupport.KamailioProcess;
import org.signaling.api.testsupport.LiveService;
import org.signaling.api.testsupport.TestCredentials;
import org.signaling.api.testsupport.TestCredentials.SipCredentials;
import org.signaling.api.testsupport.TestTls;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The SIP side as an attacker on the same network meets it: the project's kamailio.cfg on a real Kamailio, raw SIP
 * over UDP from an agent's address (127.0.0.1) and from the trusted peers' ({@link KamailioProcess#TRUSTED_PEER_IP}),
 * credentials from {@code POST /api/agent/sip-credentials} of the service in front of it. Agents are raw SIP user
 * agents registered here, so every request Kamailio forwards to them can be read header by header.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SipAuthenticationIT {

	static final Duration BOUND = Duration.ofSeconds(20);

	static final TestTls TLS = TestTls.create();

	static final int GENESYS_PORT = FreePorts.udp();

	static final KamailioProcess KAMAILIO = KamailioProcess.start("127.0.0.1:" + GENESYS_PORT);

	static final String CONTROLLER_CALL_ID = "call-" + "c0ffee".repeat(5) + "ab";

	@LocalServerPort
	int port;

	ApiClient api;

	final List<RawSip> agents = new ArrayList<>();

	@DynamicPropertySource
	static void kamailio(DynamicPropertyRegistry registry) {
		LiveService.register(registry, TLS, KAMAILIO, "127.0.0.1:" + GENESYS_PORT);
		registry.add("signaling.dn.directory", () -> "5001-5019");
	}

	@BeforeEach
	void client() {
		api = new ApiClient("https://localhost:" + port, TLS.clientContext(), TestCredentials.CALLER_KEY);
	}

	@AfterEach
	void closeAgents() {
		agents.forEach(RawSip::close);
		agents.clear();
	}

	@AfterAll
	static void stopKamailio() {
		KAMAILIO.close();
	}

	@Test
	void aRegisterWithoutCredentialsIsChallengedAndOneWithCredentialsFromTheApiIsAccepted() {
		RawSip phone = agent();

		assertThat(phone.register("5001", "5001", "5001", "phone", 600, null)).isEqualTo(401);
		assertThat(registered("5001")).isFalse();

		SipCredentials credentials = fromApi("5001");
		assertThat(credentials.username()).endsWith(":5001");
		assertThat(phone.register("5001", "5001", "5001", "phone", 600, credentials)).isEqualTo(200);
		assertThat(registered("5001")).isTrue();
	}

	@Test
	void expiredCredentialsAndCredentialsMadeWithAnotherSecretAreRefused() {
		RawSip phone = agent();
		SipCredentials expired = TestCredentials.sipCredentials("5002", Instant.now().minusSeconds(5),
				TestCredentials.SIP_AUTH_SECRET);
		SipCredentials forged = TestCredentials.sipCredentials("5002", Instant.now().plusSeconds(3600),
				"an-attacker-s-guess-at-the-secret-0123456789");

		assertThat(phone.register("5002", "5002", "5002", "phone", 600, expired)).isIn(401, 403);
		assertThat(phone.register("5002", "5002", "5002", "phone", 600, forged)).isIn(401, 403);
		assertThat(registered("5002")).isFalse();
	}

	@Test
	void anAgentCannotRegisterOrUnregisterAnotherDn() {
		RawSip victim = registeredAgent("5003");
		RawSip attacker = agent();
		SipCredentials attackersOwn = fromApi("5004");

		// its own credentials, the victim's DN in From and To, or only in To
		assertThat(attacker.register("5003", "5003", "5003", "attacker", 600, attackersOwn)).isEqualTo(403);
		assertThat(attacker.register("5003", "5004", "5003", "attacker", 600, attackersOwn)).isEqualTo(403);
		// "Contact: *" removes every contact of an AoR: unauthenticated, then with another DN's credentials
		assertThat(attacker.register("5003", "5003", "*", "attacker", 0, null)).isEqualTo(401);
		assertThat(attacker.register("5003", "5003", "*", "attacker", 0, attackersOwn)).isEqualTo(403);

		assertThat(registered("5003")).as("the victim is still registered").isTrue();
		assertThat(victim.received()).isEmpty();
	}

	@Test
	void anInviteFromAnUntrustedSenderIsChallengedAndOneFromATrustedPeerRings() {
		RawSip callee = registeredAgent("5005");
		RawSip stranger = agent();
		RawSip genesys = trustedPeer();

		RawSip.SipCall unauthenticated = stranger.invite("sip:customer@203.0.113.9", callId(), "5005", "s1", List.of(),
				null);
		assertThat(unauthenticated.status()).isEqualTo(407);
		assertThat(callee.received()).as("nothing reached the agent").isEmpty();

		RawSip.SipCall trusted = genesys.invite("sip:customer@203.0.113.9", callId(), "5005", "g1", List.of(), null);
		assertThat(trusted.status()).isEqualTo(200);
		assertThat(invitesTo(callee)).hasSize(1);
		genesys.bye(trusted);
	}

	@Test
	void anAgentAuthenticatedAsOneDnCannotCallAsAnother() {
		registeredAgent("5006");
		RawSip attacker = agent();

		RawSip.SipCall call = attacker.invite("sip:5007@127.0.0.1", callId(), "5006", "a1", List.of(), fromApi("5008"));

		assertThat(call.status()).isEqualTo(403);
	}

	@Test
	void callSteeringHeadersAreBelievedOnlyFromTrustedPeers() {
		RawSip callee = registeredAgent("5009");
		RawSip caller = registeredAgent("5010");
		String forgedCallId = "call-" + "ab".repeat(16);
		List<String> steering = List.of("X-Call-Id: " + forgedCallId, "Call-Info: <sip:127.0.0.1>;answer-after=0",
				"Alert-Info: <http://127.0.0.1/>;info=alert-autoanswer");

		RawSip.SipCall fromAgent = caller.invite("sip:5010@127.0.0.1", callId(), "5009", "h1", steering,
				fromApi("5010"));
		assertThat(fromAgent.status()).isEqualTo(200);
		String forwarded = invitesTo(callee).get(0);
		assertThat(RawSip.header(forwarded, "X-Call-Id")).isEmpty();
		assertThat(RawSip.header(forwarded, "Call-Info")).isEmpty();
		assertThat(RawSip.header(forwarded, "Alert-Info")).isEmpty();
		// the service sees the call, not under the forged id
		JsonNode calls = awaitActiveCallOf("5009");
		assertThat(calls.toString()).doesNotContain(forgedCallId);
		assertThat(KAMAILIO.rpc().result("dlg.list").toString()).doesNotContain(forgedCallId);
		caller.bye(fromAgent);

		RawSip asterisk = trustedPeer();
		RawSip.SipCall fromPeer = asterisk.invite("sip:5010@127.0.0.1", callId(), "5009", "h2", steering, null);
		assertThat(fromPeer.status()).isEqualTo(200);
		String believed = invitesTo(callee).get(1);
		assertThat(RawSip.header(believed, "X-Call-Id")).containsExactly(forgedCallId);
		assertThat(RawSip.header(believed, "Call-Info")).hasSize(1);
		assertThat(KAMAILIO.rpc().result("dlg.list").toString()).contains(forgedCallId);
		asterisk.bye(fromPeer);
	}

	@Test
	void aClickToDialIdInTheRequestUriIsIgnoredFromAnAgentItWasNotHandedTo() {
		RawSip callee = registeredAgent("5011");
		RawSip attacker = registeredAgent("5012");

		RawSip.SipCall call = attacker.invite("sip:5012@127.0.0.1", callId(), "5011", ";xcid=" + CONTROLLER_CALL_ID,
				"x1", List.of(), fromApi("5012"));

		assertThat(call.status()).isEqualTo(200);
		assertThat(invitesTo(callee)).hasSize(1);
		assertThat(KAMAILIO.rpc().result("dlg.list").toString()).doesNotContain(CONTROLLER_CALL_ID);
		attacker.bye(call);
	}

	@Test
	void theClickToDialControllersIdentityAndOutOfDialogRefersAreRefusedFromOutside() {
		RawSip agent = registeredAgent("5013");
		RawSip attacker = agent();

		// the forged controller, with and without credentials of its own
		assertThat(attacker.invite("sip:controller@127.0.0.1", callId(), "5013", "c1", List.of(), null).status())
			.isEqualTo(403);
		assertThat(attacker.invite("sip:Controller@127.0.0.1", callId(), "5013", "c2", List.of(), fromApi("5014"))
			.status()).isEqualTo(403);
		// "call this number" to an agent's phone, outside any call
		String refer = attacker.request("REFER", "sip:5013@" + KAMAILIO.listenIp() + ":" + KAMAILIO.sipPort(),
				"<sip:5014@127.0.0.1>;tag=r1", "<sip:5013@127.0.0.1>", callId(),
				List.of("Refer-To: <sip:0900123456@127.0.0.1>"), fromApi("5014"));
		assertThat(refer).isNotNull();
		assertThat(RawSip.statusOf(refer)).isEqualTo(403);

		assertThat(agent.received()).as("nothing reached the agent").isEmpty();
	}

	@Test
	void aMadeUpInDialogRequestGoesNowhere() {
		RawSip victim = registeredAgent("5015");
		RawSip attacker = agent();

		// a To-tag and Kamailio's own Route header make a request look like part of a call Kamailio never saw
		String route = "Route: <sip:" + KAMAILIO.listenIp() + ":" + KAMAILIO.sipPort() + ";lr>";
		String invite = attacker.request("INVITE", "sip:5015@" + KAMAILIO.listenIp() + ":" + victim.port(),
				"<sip:5016@127.0.0.1>;tag=a1", "<sip:5015@127.0.0.1>;tag=made-up", callId(),
				List.of(route, "Call-Info: <sip:127.0.0.1>;answer-after=0"), null);

		assertThat(invite).isNotNull();
		assertThat(RawSip.statusOf(invite)).isEqualTo(481);
		assertThat(victim.received()).as("nothing reached the agent").isEmpty();
	}

	@Test
	void kamailiosSecretsCannotBeReadOverJsonRpc() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		for (String method : List.of("autheph.dump_secrets", "auth\\u0065ph.dump_secrets")) {
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(KAMAILIO.rpcUrl()))
				.POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"method\":\"" + method
						+ "\",\"id\":1}"))
				.build(), HttpResponse.BodyHandlers.ofString());

			assertThat(response.statusCode()).as(method).isEqualTo(403);
			assertThat(response.body()).doesNotContain(TestCredentials.SIP_AUTH_SECRET);
		}
	}

	private RawSip agent() {
		RawSip agent = new RawSip(KAMAILIO.listenIp(), KAMAILIO.sipPort());
		agents.add(agent);
		return agent;
	}

	private RawSip trustedPeer() {
		RawSip peer = new RawSip(KAMAILIO.listenIp(), KAMAILIO.sipPort(), KamailioProcess.TRUSTED_PEER_IP);
		agents.add(peer);
		return peer;
	}

	private RawSip registeredAgent(String dn) {
		RawSip agent = agent();
		assertThat(agent.register(dn, dn, dn, "agent " + dn, 600, fromApi(dn))).isEqualTo(200);
		return agent;
	}

	/** Credentials as the softphone gets them: from the service, for a DN, with a calls key. */
	private SipCredentials fromApi(String dn) {
		ApiClient.Response response = api.post("/api/agent/sip-credentials", "{\"dn\":\"" + dn + "\"}");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode body = response.json();
		return new SipCredentials(body.path("username").asString(), body.path("password").asString());
	}

	private boolean registered(String dn) {
		return KAMAILIO.rpc().result("ul.dump").toString().contains("\"AoR\":\"" + dn + "\"");
	}

	/** The INVITEs that reached {@code agent}, one per call (Kamailio retransmits over UDP until the 200 arrives). */
	private static List<String> invitesTo(RawSip agent) {
		Map<String, String> byCall = new LinkedHashMap<>();
		for (String request : agent.received()) {
			if (request.startsWith("INVITE ")) {
				byCall.putIfAbsent(RawSip.header(request, "Call-ID").get(0), request);
			}
		}
		return List.copyOf(byCall.values());
	}

	private JsonNode awaitActiveCallOf(String dn) {
		return await().atMost(BOUND).until(() -> new ApiClient("https://localhost:" + port, TLS.clientContext())
			.get("/api/calls/active").json(), (calls) -> calls.toString().contains("\"" + dn + "\""));
	}

	private static String callId() {
		return "auth-" + UUID.randomUUID() + "@127.0.0.1";
	}

}
