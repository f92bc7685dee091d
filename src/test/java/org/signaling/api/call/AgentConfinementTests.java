package org.signaling.api.call;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.call.internal.CallLifecycle;
import org.signaling.api.testsupport.FakePbx;
import org.signaling.api.testsupport.FakeSignalingState;
import org.signaling.api.testsupport.MutableClock;
import org.signaling.api.testsupport.OpenFeatureSliceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.signaling.api.testsupport.FeatureTestConfiguration.NOW;
import static org.signaling.api.testsupport.TestCredentials.CALLER_KEY;
import static org.signaling.api.testsupport.TestCredentials.READER_KEY;
import static org.signaling.api.testsupport.TestCredentials.jwt;

/**
 * An agent token (a JWT with the DN claim, without {@code supervise}) reads its own DN, its calls and its history
 * only, through the real filter chain and services; API keys and supervisor tokens still see everything.
 * <p>
 * Kamailio carries three calls: 5001 to 1003 (confirmed), 5004 to 5001 (ringing), and 5002 to 5003 (confirmed), the
 * last one nothing to do with agent 5001. Their Call-IDs are new in each test: the call history outlives a test.
 */
@OpenFeatureSliceTest
class AgentConfinementTests {

	static final String AGENT = "Bearer " + jwt("agent-5001", Map.of("scope", "read calls", "dn", "5001"));

	static final String SUPERVISOR = "Bearer "
			+ jwt("supervisor-1", Map.of("scope", "read supervise", "dn", "5009"));

	@Autowired
	MockMvcTester mvc;

	@Autowired
	FakeSignalingState kamailio;

	@Autowired
	FakePbx asterisk;

	@Autowired
	MutableClock clock;

	@Autowired
	CallLifecycle lifecycle;

	String mine;

	String inbound;

	String theirs;

	@BeforeEach
	void setUp() {
		clock.set(NOW);
		kamailio.reset();
		asterisk.reset();
		String test = UUID.randomUUID().toString();
		mine = "mine-" + test + "@pc33";
		inbound = "inbound-" + test + "@pc33";
		theirs = "theirs-" + test + "@pc33";
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp")
			.register("5002", "sip:5002@10.1.1.6:5060", "udp")
			.call(mine, "5001", "1003", CallState.CONFIRMED, NOW.minusSeconds(20), NOW.minusSeconds(10))
			.call(inbound, "5004", "5001", CallState.RINGING, NOW.minusSeconds(5), null)
			.call(theirs, "5002", "5003", CallState.CONFIRMED, NOW.minusSeconds(30), NOW.minusSeconds(25));
	}

	@Test
	void anAgentReadsItsOwnDnAndIsRefusedAnyOtherWhetherItExistsOrNot() {
		assertThat(get("/api/dn/5001", AGENT)).hasStatusOk().bodyJson().extractingPath("$.status").isEqualTo("busy");

		assertThat(get("/api/routing/dn/5001", AGENT)).hasStatusOk().bodyJson().extractingPath("$.busy")
			.isEqualTo(true);
		for (String other : List.of("5002", "5003", "9999")) {
			assertRefused(get("/api/dn/" + other, AGENT));
			assertRefused(get("/api/calls/dn/" + other, AGENT));
			assertRefused(get("/api/routing/dn/" + other, AGENT));
			assertRefused(get("/api/routing/select?candidates=5001," + other, AGENT));
		}
		assertThat(get("/api/calls/dn/5001", AGENT)).hasStatusOk()
			.bodyJson()
			.isLenientlyEqualTo("""
					{"dn":"5001","count":2,"active_calls":[{"call_id":"%s","direction":"outbound"},
					 {"call_id":"%s","direction":"inbound"}]}""".formatted(mine, inbound));
	}

	@Test
	void anAgentListsItsOwnDnAndItsOwnCallsOnly() {
		assertThat(get("/api/dn/list", AGENT)).hasStatusOk().bodyJson().isStrictlyEqualTo("""
				{"dns":[{"dn":"5001","sip_uri":"sip:5001@192.168.210.54","status":"registered","availability":"busy",
				         "active_call_count":2,"contact_count":1,"reachable":true}],"count":1}""");
		assertThat(get("/api/calls/active", AGENT)).hasStatusOk().bodyJson().isLenientlyEqualTo("""
				{"active_calls":2,"by_state":{"initiated":0,"trying":0,"ringing":1,"answered":0,"confirmed":1},
				 "calls":[{"call_id":"%s"},{"call_id":"%s"}]}""".formatted(mine, inbound));
		assertThat(get("/api/calls/active", AGENT)).bodyJson().extractingPath("$.calls.length()").isEqualTo(2);
	}

	@Test
	void anOfflineAgentListsItsDirectoryEntryAndAnUnknownOneNothing() {
		String offline = "Bearer " + jwt("agent-5005", Map.of("scope", "read", "dn", "5005"));
		String unknown = "Bearer " + jwt("agent-7777", Map.of("scope", "read", "dn", "7777"));

		assertThat(get("/api/dn/list", offline)).bodyJson()
			.isLenientlyEqualTo("{\"dns\":[{\"dn\":\"5005\",\"status\":\"offline\"}],\"count\":1}");
		assertThat(get("/api/dn/list", unknown)).bodyJson().isStrictlyEqualTo("{\"dns\":[],\"count\":0}");
		assertThat(get("/api/calls/active", unknown)).bodyJson()
			.isLenientlyEqualTo("{\"active_calls\":0,\"calls\":[]}");
	}

	@Test
	// The calls it places stay live in the registry: the other tests start without them.
	@DirtiesContext(methodMode = DirtiesContext.MethodMode.AFTER_METHOD)
	void aCallWithoutTheAgentsDnIsNotFoundLikeACallThatDoesNotExist() {
		String placedFor5002 = make("{\"from\":\"5002\",\"to\":\"1003\"}", CALLER_KEY);
		String placedFor5001 = make("{\"from\":\"5001\",\"to\":\"1004\"}", AGENT);

		MvcTestResult nonexistent = get("/api/calls/nobody@pc33", AGENT);
		assertThat(nonexistent).hasStatus(HttpStatus.NOT_FOUND);
		for (String callId : List.of(theirs, placedFor5002)) {
			MvcTestResult hidden = get("/api/calls/" + callId, AGENT);
			assertThat(hidden).hasStatus(HttpStatus.NOT_FOUND)
				.bodyJson()
				.extractingPath("$.error")
				.isEqualTo("Call not found: " + callId);
		}
		assertThat(get("/api/calls/" + mine, AGENT)).hasStatusOk();
		assertThat(get("/api/calls/" + inbound, AGENT)).hasStatusOk();
		assertThat(get("/api/calls/" + placedFor5001, AGENT)).hasStatusOk()
			.bodyJson()
			.extractingPath("$.from_dn")
			.isEqualTo("5001");
		assertThat(get("/api/calls/active", AGENT)).bodyJson()
			.extractingPath("$.active_calls")
			.as("the agent's own API call counts, the other one does not")
			.isEqualTo(3);
	}

	@Test
	void anAgentsHistoryIsItsOwnDnsAndAnotherDnIsRefused() {
		lifecycle.sync();
		kamailio.hangUpAll();
		lifecycle.sync();

		for (String path : List.of("/api/calls/history", "/api/calls/history?dn=5001")) {
			MvcTestResult history = get(path, AGENT);
			assertThat(history).hasStatusOk()
				.bodyJson()
				.extractingPath("$.calls[*].call_id")
				.asArray()
				.contains(mine, inbound)
				.doesNotContain(theirs);
			assertThat(history).bodyJson()
				.extractingPath("$.calls[*].dns")
				.asArray()
				.allSatisfy((dns) -> assertThat(dns.toString()).contains("5001"));
			assertThat(history).bodyJson()
				.extractingPath("$.calls[?(@.call_id == '%s')].direction".formatted(mine))
				.asArray()
				.containsExactly("outbound");
		}
		assertRefused(get("/api/calls/history?dn=5002", AGENT));
		assertRefused(get("/api/calls/history?dn=5003", AGENT));
	}

	@Test
	void keysAndSupervisorTokensStillSeeEveryDnAndEveryCall() {
		for (String credential : List.of(READER_KEY, SUPERVISOR)) {
			assertThat(get("/api/dn/5002", credential)).as(credential).hasStatusOk();
			assertThat(get("/api/calls/dn/5003", credential)).hasStatusOk();
			assertThat(get("/api/dn/list", credential)).bodyJson().extractingPath("$.count").isEqualTo(5);
			assertThat(get("/api/calls/active", credential)).bodyJson().extractingPath("$.active_calls").isEqualTo(3);
			assertThat(get("/api/calls/" + inbound, credential)).hasStatusOk();
			assertThat(get("/api/calls/" + theirs, credential)).hasStatusOk();
		}

		lifecycle.sync();
		kamailio.hangUp(theirs);
		lifecycle.sync();

		for (String credential : List.of(READER_KEY, SUPERVISOR)) {
			assertThat(get("/api/calls/history?dn=5002", credential)).as(credential)
				.bodyJson()
				.extractingPath("$.calls[*].call_id")
				.asArray()
				.contains(theirs);
			assertThat(get("/api/calls/history", credential)).bodyJson()
				.extractingPath("$.calls[*].direction")
				.asArray()
				.containsOnlyNulls();
		}
	}

	@Test
	void anAgentControlsOnlyCallsItsDnIsIn() {
		MvcTestResult others = mvc.post().uri("/api/calls/" + theirs + "/hold").header("Authorization", AGENT)
			.exchange();
		assertThat(others).hasStatus(HttpStatus.FORBIDDEN)
			.bodyJson()
			.extractingPath("$.error")
			.isEqualTo("Agent 5001 may only control calls its DN is in");
		// its own call gets past the rule; Kamailio alone carries it, so Asterisk cannot hold it
		assertThat(mvc.post().uri("/api/calls/" + mine + "/hold").header("Authorization", AGENT).exchange())
			.hasStatus(HttpStatus.CONFLICT);
		assertThat(mvc.post().uri("/api/calls/" + theirs + "/hold").header("Authorization", SUPERVISOR).exchange())
			.as("a supervisor may control any call").hasStatus(HttpStatus.CONFLICT);
		assertThat(mvc.post().uri("/api/calls/" + mine + "/monitors").header("Authorization", AGENT)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"supervisor_dn\":\"5001\"}")
			.exchange()).as("only supervisors monitor").hasStatus(HttpStatus.FORBIDDEN);
	}

	private MvcTestResult get(String path, String credential) {
		return credential.startsWith("Bearer ") ? mvc.get().uri(path).header("Authorization", credential).exchange()
				: mvc.get().uri(path).header("X-API-Key", credential).exchange();
	}

	private String make(String body, String credential) {
		var request = mvc.post().uri("/api/call/make").contentType(MediaType.APPLICATION_JSON).content(body);
		MvcTestResult result = credential.startsWith("Bearer ") ? request.header("Authorization", credential).exchange()
				: request.header("X-API-Key", credential).exchange();
		assertThat(result).hasStatus(HttpStatus.ACCEPTED);
		return result.getResponse().getHeader("Location").substring("/api/calls/".length());
	}

	private static void assertRefused(MvcTestResult result) {
		assertThat(result).hasStatus(HttpStatus.FORBIDDEN)
			.bodyJson()
			.extractingPath("$.error")
			.isEqualTo("Agent 5001 may only see its own DN");
	}

}
