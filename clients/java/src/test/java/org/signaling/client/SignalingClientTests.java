package org.signaling.client;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client against a loopback HTTP server: requests, typed errors, retries, Idempotency-Key, events. */
class SignalingClientTests {

	static SignalingClient client(LoopbackServer server) {
		return SignalingClient.builder(server.uri())
			.apiKey("sk_test")
			.retries(2, Duration.ofMillis(5))
			.timeout(Duration.ofSeconds(5))
			.build();
	}

	/** Released when the test ends: a server that answers late, or keeps a stream open and silent, until then. */
	private final CountDownLatch testEnded = new CountDownLatch(1);

	@AfterEach
	void endTest() {
		testEnded.countDown();
	}

	private void holdUntilTheTestEnds() throws InterruptedException {
		// bounded: a test that never ends its wait cannot hold a server thread for good
		testEnded.await(10, TimeUnit.SECONDS);
	}

	@Test
	void readsMapTheSeedsFieldsAndSendTheCredential() throws IOException {
		try (LoopbackServer server = new LoopbackServer((request, n, out) -> LoopbackServer.respond(out, 200,
				switch (request.target()) {
					case "/api/dn/%235001" -> "{\"dn\":\"#5001\",\"status\":\"available\",\"sip_uri\":\"sip:5001@x\","
							+ "\"registered\":true,\"active_call_count\":0,\"contacts\":[{\"contact\":\"sip:a\"}]}";
					case "/api/dn/list" -> "{\"dns\":[{\"dn\":\"5001\",\"sip_uri\":\"sip:5001@x\",\"status\":\"registered\","
							+ "\"availability\":\"busy\",\"active_call_count\":1,\"contact_count\":1}],\"count\":1}";
					case "/api/calls/active" -> "{\"active_calls\":5,\"timestamp\":\"1734522035\",\"calls\":[]}";
					case "/api/calls/dn/5001" -> "{\"dn\":\"5001\",\"active_calls\":[{\"call_id\":\"call-123\","
							+ "\"from\":\"sip:5001@x\",\"to\":\"sip:1003@x\",\"state\":\"confirmed\",\"duration\":120}],\"count\":1}";
					case "/api/calls/history?dn=5001&since=2026-11-26T00%3A00%3A00Z&limit=5" -> "{\"calls\":[],\"next_cursor\":null}";
					case "/api/calls?genesys_call_uuid=0ADGKUB0K4BQR4N5N7C2B2LAES00000E" -> "{\"calls\":[{\"call_id\":"
							+ "\"g1@pc33\",\"origin\":\"kamailio\",\"state\":\"ended\",\"from\":\"sip:7001@x\","
							+ "\"to\":\"sip:5002@x\",\"from_dn\":\"7001\",\"dns\":[\"5002\"],"
							+ "\"genesys_call_uuid\":\"0ADGKUB0K4BQR4N5N7C2B2LAES00000E\",\"created_at\":1,"
							+ "\"answered_at\":2,\"ended_at\":3,\"end_cause\":\"hangup\"}]}";
					case "/api/routing/dn/5001", "/api/routing/select?candidates=5003%2C5001&strategy=least_busy" ->
						"{\"dn\":\"5001\",\"found\":true,\"registered\":true,\"reachable\":true,\"available\":true,"
								+ "\"busy\":false,\"status\":\"available\",\"active_call_count\":0,\"contact_count\":1,"
								+ "\"sip_uri\":\"sip:5001@x\",\"target_uri\":\"sip:5001@x\",\"reason\":\"ok\","
								+ "\"state_age_ms\":120,\"retry_after_s\":0,\"candidates_tried\":2}";
					default -> "{\"status\":\"ok\",\"service\":\"kamailio-custom-signaling\",\"version\":\"1.0\","
							+ "\"timestamp\":\"1734522035\",\"uptime\":3600,\"components\":{\"kamailio\":{\"status\":\"up\"}}}";
				}))) {
			SignalingClient api = client(server);
			Dn dn = api.getDn("#5001");
			assertEquals("available", dn.status());
			assertTrue(dn.registered());
			assertEquals("sip:a", dn.contacts().get(0).get("contact"));
			assertEquals(new DnList.Entry("5001", "sip:5001@x", "registered", "busy", 1, 1), api.listDns().dns().get(0));
			assertEquals(5, api.activeCallCount());
			ActiveCall call = api.getAgentCalls("5001").activeCalls().get(0);
			assertEquals("call-123", call.callId());
			assertEquals(120, call.duration());
			assertNull(api.callHistory(CallHistory.Filter.all().dn("5001").since("2026-11-26T00:00:00Z").limit(5))
				.nextCursor());
			CallRecord found = api.callsOfGenesysInteraction("0ADGKUB0K4BQR4N5N7C2B2LAES00000E").get(0);
			assertEquals("g1@pc33", found.callId());
			assertEquals("0ADGKUB0K4BQR4N5N7C2B2LAES00000E", found.genesysCallUuid());
			assertEquals("hangup", found.endCause());
			RoutingAnswer route = api.route("5001");
			assertTrue(route.routable());
			assertEquals("sip:5001@x", route.targetUri());
			assertEquals(120, route.stateAgeMs());
			assertEquals(2, api.selectRoute(List.of("5003", "5001"), "least_busy").candidatesTried());
			Health health = api.health();
			assertEquals(3600, health.uptime());
			assertEquals("up", health.componentStatus("kamailio"));
			assertEquals("sk_test", server.requests.get(0).header("X-API-Key"));
		}
	}

	@Test
	void aRegisteredDnWhoseContactsStopAnsweringIsNotReachable() {
		Dn silent = Dn.from(Map.of("dn", "5001", "status", "unreachable", "sip_uri", "sip:5001@x", "registered", true,
				"active_call_count", 0, "contacts", List.of(), "reachable", false));
		DnList.Entry listed = DnList.Entry.from(Map.of("dn", "5001", "sip_uri", "sip:5001@x", "status", "registered",
				"availability", "unreachable", "active_call_count", 0, "contact_count", 1, "reachable", false));

		assertFalse(silent.reachable());
		assertFalse(silent.available());
		assertFalse(listed.reachable());
		assertTrue(Dn.from(Map.of("dn", "5002", "status", "available", "sip_uri", "sip:5002@x", "registered", true,
				"active_call_count", 0, "contacts", List.of())).reachable(), "a server from before reachability");
	}

	@Test
	void callControlSendsItsPathBodyAndAnIdempotencyKeyAndReadsTheAnswer() throws IOException {
		try (LoopbackServer server = new LoopbackServer((request, n, out) -> {
			if (n == 6) {
				LoopbackServer.respond(out, 409, "{\"error\":\"Call c needs Asterisk in the media path\"}");
				return;
			}
			LoopbackServer.respond(out, n == 2 ? 202 : 200, n == 2
					? "{\"transfer_id\":\"tr-1\",\"call_id\":\"call-1\",\"state\":\"ringing\",\"to\":\"5002\"}"
					: "{\"call_id\":\"call-1\",\"held\":true}", "Idempotent-Replayed", n == 1 ? "true" : "false");
		})) {
			SignalingClient api = client(server);
			ControlResult held = api.hold("call-1");
			ControlResult transfer = api.transfer("call-1", "5002", "attended", 20);
			api.sendDtmf("call-1", "12#", 100);
			api.monitorMode("mon-1", "whisper");
			api.endMonitor("mon-1");
			SignalingApiException refused = assertThrows(SignalingApiException.class, () -> api.unhold("c"));

			assertTrue(held.replayed());
			assertEquals("call-1", held.callId());
			assertEquals("tr-1", transfer.id());
			assertEquals("ringing", transfer.state());
			assertEquals(409, refused.status());
			assertEquals("POST /api/calls/call-1/hold", server.requests.get(0).method() + " "
					+ server.requests.get(0).target());
			Map<String, Object> body = Json.parseObject(server.requests.get(1).body());
			assertEquals(List.of("5002", "attended", 20), List.of(body.get("to"), body.get("mode"),
					((Number) body.get("timeout")).intValue()));
			assertEquals("PATCH /api/monitors/mon-1", server.requests.get(3).method() + " "
					+ server.requests.get(3).target());
			assertEquals("DELETE", server.requests.get(4).method());
			assertNotEquals(server.requests.get(0).header("Idempotency-Key"),
					server.requests.get(1).header("Idempotency-Key"));
			assertTrue(server.requests.get(0).header("Idempotency-Key").matches("[0-9a-f-]{36}"));
		}
	}

	@Test
	void aBearerTokenIsAskedForPerRequest() throws IOException {
		AtomicInteger tokens = new AtomicInteger();
		try (LoopbackServer server = new LoopbackServer(
				(request, n, out) -> LoopbackServer.respond(out, 200, "{\"dns\":[],\"count\":0}"))) {
			SignalingClient api = SignalingClient.builder(URI.create(server.uri() + "/api/"))
				.bearerToken(() -> "jwt-" + tokens.incrementAndGet())
				.build();
			api.listDns();
			api.listDns();
			assertEquals("Bearer jwt-1", server.requests.get(0).header("Authorization"));
			assertEquals("Bearer jwt-2", server.requests.get(1).header("Authorization"));
			assertNull(server.requests.get(0).header("X-API-Key"));
			assertEquals("/api/dn/list", server.requests.get(0).target());
		}
	}

	@Test
	void httpErrorsAreTypedAndNotRetried() throws IOException {
		try (LoopbackServer server = new LoopbackServer((request, n, out) -> {
			switch (n) {
				case 1 -> LoopbackServer.respond(out, 404, "{\"error\":\"DN not found: 5999\"}", "X-Request-Id", "req-1");
				case 2 -> LoopbackServer.respond(out, 429, "{\"error\":\"Rate limit exceeded\"}", "Retry-After", "7");
				default -> LoopbackServer.respond(out, 502, "<html>bad gateway</html>");
			}
		})) {
			SignalingClient api = client(server);
			SignalingApiException notFound = assertThrows(SignalingApiException.class, () -> api.getDn("5999"));
			assertEquals(404, notFound.status());
			assertEquals("DN not found: 5999", notFound.error());
			assertEquals("req-1", notFound.requestId());
			assertTrue(notFound.isNotFound());
			SignalingApiException limited = assertThrows(SignalingApiException.class, api::listDns);
			assertEquals(Duration.ofSeconds(7), limited.retryAfter());
			SignalingApiException gateway = assertThrows(SignalingApiException.class, api::listDns);
			assertEquals("HTTP 502", gateway.error());
			assertEquals(3, server.requests.size());
		}
	}

	@Test
	void genesysDownIsAnAnswerButOther503sAreErrors() throws IOException {
		try (LoopbackServer server = new LoopbackServer((request, n, out) -> LoopbackServer.respond(out, 503, (n == 1)
				? "{\"connected\":false,\"server\":\"127.0.0.1:9\",\"service\":\"wwe\",\"status\":\"unreachable\","
						+ "\"error\":\"Genesys server unreachable\"}"
				: "{\"error\":\"Kamailio unreachable\"}"))) {
			SignalingClient api = client(server);
			GenesysStatus status = api.genesysStatus();
			assertFalse(status.connected());
			assertEquals("unreachable", status.status());
			assertEquals("Genesys server unreachable", status.error());
			assertEquals("Kamailio unreachable",
					assertThrows(SignalingApiException.class, api::genesysStatus).error());
		}
	}

	@Test
	void clickToDialRetriesALostAnswerWithTheSameIdempotencyKey() throws IOException {
		try (LoopbackServer server = new LoopbackServer((request, n, out) -> {
			if (n == 1) {
				return; // read, then the connection closes without an answer
			}
			LoopbackServer.respond(out, 202, "{\"status\":\"initiated\",\"from\":\"5001\",\"to\":\"1003\",\"call_id\":\"call-1\"}",
					"Idempotent-Replayed", (n == 2) ? "true" : "false");
		})) {
			SignalingClient api = client(server);
			CallMade made = api.clickToDial("5001", "1003",
					CallOptions.defaults().autoAnswer(true).callerId("+18005550100").timeoutSeconds(20));
			assertEquals("call-1", made.callId());
			assertTrue(made.replayed());
			LoopbackServer.Request first = server.requests.get(0);
			LoopbackServer.Request retry = server.requests.get(1);
			assertEquals("POST", first.method());
			assertEquals("/api/call/make", first.target());
			assertTrue(first.header("Idempotency-Key").matches("[0-9a-f-]{36}"));
			assertEquals(first.header("Idempotency-Key"), retry.header("Idempotency-Key"));
			assertEquals(made.idempotencyKey(), first.header("Idempotency-Key"));
			assertEquals(Map.of("from", "5001", "to", "1003", "auto_answer", true, "caller_id", "+18005550100",
					"timeout", 20L), Json.parseObject(first.body()));

			CallMade next = api.clickToDial("5001", "1003");
			assertFalse(next.replayed());
			assertNotEquals(first.header("Idempotency-Key"), server.requests.get(2).header("Idempotency-Key"));
			api.clickToDial("5001", "1003", CallOptions.defaults().idempotencyKey("wwe-click-42"));
			assertEquals("wwe-click-42", server.requests.get(3).header("Idempotency-Key"));
		}
	}

	@Test
	void networkErrorsAreDistinctAndHangupIsNotRetried() throws IOException {
		try (LoopbackServer server = new LoopbackServer((request, n, out) -> {
			if (n == 2) {
				LoopbackServer.respond(out, 503, "{\"error\":\"Asterisk unreachable\"}");
			}
			else if (n > 2) {
				LoopbackServer.respond(out, 200, "{\"status\":\"terminated\",\"call_id\":\"call-1\"}");
			}
		})) {
			SignalingClient api = client(server);
			assertThrows(SignalingNetworkException.class, () -> api.hangup("call-1"));
			assertEquals("k-7", assertThrows(SignalingApiException.class,
					() -> api.clickToDial("5001", "1003", CallOptions.defaults().idempotencyKey("k-7"))).idempotencyKey());
			assertEquals(new HangupResult("terminated", "call-1"), api.hangup("call-1"));
			assertEquals(Map.of("call_id", "call-1"), Json.parseObject(server.requests.get(2).body()));
		}
		SignalingClient refused = SignalingClient.builder(URI.create("http://127.0.0.1:9"))
			.apiKey("k")
			.retries(0, Duration.ZERO)
			.build();
		SignalingNetworkException error = assertThrows(SignalingNetworkException.class, refused::health);
		assertFalse(error.isTimeout());
	}

	@Test
	void sipCredentialsPostTheDnOrNothingAndAreRetriedAfterANetworkError() throws IOException {
		String credentials = "{\"username\":\"1700043200:5001\",\"password\":\"c2VjcmV0\",\"expires_at\":1700043200,"
				+ "\"realm\":\"127.0.0.1\",\"websocket_url\":\"ws://127.0.0.1:8080\"}";
		try (LoopbackServer server = new LoopbackServer((request, n, out) -> {
			if (n == 2) {
				return; // read, then the connection closes without an answer
			}
			LoopbackServer.respond(out, (n == 4) ? 403 : 200, (n == 4)
					? "{\"error\":\"Agent 5001 may only get SIP credentials for its own DN\"}" : credentials);
		})) {
			SignalingClient api = client(server);
			SipCredentials issued = api.sipCredentials("5001");
			assertEquals(new SipCredentials("1700043200:5001", "c2VjcmV0", 1700043200L, "127.0.0.1",
					"ws://127.0.0.1:8080"), issued);
			assertFalse(issued.toString().contains("c2VjcmV0"));
			assertEquals("1700043200:5001", api.sipCredentials().username());
			assertEquals(403, assertThrows(SignalingApiException.class, () -> api.sipCredentials("5002")).status());
			assertEquals(List.of("/api/agent/sip-credentials"), server.requests.stream().map(LoopbackServer.Request::target)
				.distinct().toList());
			assertEquals(Map.of("dn", "5001"), Json.parseObject(server.requests.get(0).body()));
			assertEquals(Map.of(), Json.parseObject(server.requests.get(2).body()));
			assertEquals("POST", server.requests.get(2).method());
		}
	}

	@Test
	void aSlowServerIsATimeout() throws IOException {
		try (LoopbackServer server = new LoopbackServer((request, n, out) -> holdUntilTheTestEnds())) {
			SignalingClient api = SignalingClient.builder(server.uri())
				.apiKey("k")
				.timeout(Duration.ofMillis(200))
				.retries(0, Duration.ZERO)
				.build();
			assertTrue(assertThrows(SignalingNetworkException.class, api::health).isTimeout());
		}
	}

	static String event(String id, String type) {
		return "id: " + id + "\nevent: " + type + "\ndata: {\"id\":\"" + id + "\",\"type\":\"" + type
				+ "\",\"subject_type\":\"dn\",\"subject\":\"5001\",\"sequence\":1,\"data\":{\"dn\":\"5001\"}}\n\n";
	}

	@Test
	void eventsReconnectResumeWithLastEventIdAndReportAReset() throws Exception {
		try (LoopbackServer server = new LoopbackServer((request, n, out) -> {
			if (n == 4) {
				LoopbackServer.respond(out, 401, "{\"error\":\"Authentication required\"}");
				return;
			}
			LoopbackServer.streamHead(out);
			switch (n) {
				case 1 -> LoopbackServer.write(out, ":connected\n\n" + event("evt-1", "dn.registered")
						+ event("evt-2", "dn.available") + "retry: 10\n\n");
				case 2 -> LoopbackServer.write(out, event("evt-3", "dn.busy"));
				default -> LoopbackServer.write(out, "event: reset\ndata: {\"reason\":\"gone\"}\n\n" + event("evt-9", "dn.available"));
			}
		})) {
			List<String> events = new CopyOnWriteArrayList<>();
			List<String> resets = new CopyOnWriteArrayList<>();
			List<Boolean> errors = new CopyOnWriteArrayList<>();
			EventSubscription subscription = client(server).events()
				.dn("5001,5002")
				.type("dn.*")
				.reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(50))
				.onEvent((event) -> events.add(event.id() + " " + event.type() + " " + event.data().get("dn")))
				.onReset(resets::add)
				.onError((error, willRetry) -> errors.add(willRetry))
				.open();
			assertTrue(subscription.awaitStopped(Duration.ofSeconds(10)));
			assertEquals(List.of("evt-1 dn.registered 5001", "evt-2 dn.available 5001", "evt-3 dn.busy 5001",
					"evt-9 dn.available 5001"), events);
			assertEquals(List.of("{\"reason\":\"gone\"}"), resets);
			assertEquals(List.of(false), errors);
			assertEquals(401, ((SignalingApiException) subscription.failure()).status());
			assertEquals("/api/events?dn=5001%2C5002&type=dn.*", server.requests.get(0).target());
			assertEquals("text/event-stream", server.requests.get(0).header("Accept"));
			assertEquals("sk_test", server.requests.get(0).header("X-API-Key"));
			assertNull(server.requests.get(0).header("Last-Event-ID"));
			assertEquals("evt-2", server.requests.get(1).header("Last-Event-ID"));
			assertEquals("evt-3", server.requests.get(2).header("Last-Event-ID"));
			assertEquals("evt-9", server.requests.get(3).header("Last-Event-ID"));
		}
	}

	@Test
	void closeEndsAnOpenStream() throws Exception {
		try (LoopbackServer server = new LoopbackServer((request, n, out) -> {
			LoopbackServer.streamHead(out);
			LoopbackServer.write(out, ":connected\n\n");
			holdUntilTheTestEnds();
		})) {
			AtomicInteger opened = new AtomicInteger();
			EventSubscription subscription = client(server).events().lastEventId("evt-5").onOpen(opened::incrementAndGet).open();
			await().atMost(Duration.ofSeconds(5)).until(() -> opened.get() > 0);
			assertEquals("evt-5", server.requests.get(0).header("Last-Event-ID"));
			subscription.close();
			assertTrue(subscription.awaitStopped(Duration.ofSeconds(5)));
			assertNull(subscription.failure());
		}
	}

	@Test
	void aSilentStreamIsReconnectedAfterTheIdleTimeout() throws Exception {
		try (LoopbackServer server = new LoopbackServer((request, n, out) -> {
			LoopbackServer.streamHead(out);
			LoopbackServer.write(out, (n == 1) ? event("evt-1", "dn.busy") : ":connected\n\n");
			holdUntilTheTestEnds(); // then silence, the connection kept open
		})) {
			List<Exception> errors = new CopyOnWriteArrayList<>();
			EventSubscription subscription = client(server).events()
				.idleTimeout(Duration.ofMillis(200))
				.reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(50))
				.onError((error, willRetry) -> errors.add(error))
				.open();
			await().atMost(Duration.ofSeconds(10)).until(() -> server.requests.size() >= 3);
			subscription.close();
			assertTrue(subscription.awaitStopped(Duration.ofSeconds(5)));
			assertTrue(server.requests.size() >= 3, "reconnected twice: " + server.requests.size());
			assertEquals("evt-1", server.requests.get(1).header("Last-Event-ID"));
			assertEquals("evt-1", server.requests.get(2).header("Last-Event-ID"));
			assertTrue(((SignalingNetworkException) errors.get(0)).isTimeout());
			assertNull(subscription.failure());
		}
	}

}
