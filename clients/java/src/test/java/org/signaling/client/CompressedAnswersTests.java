package org.signaling.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JSON requests ask for gzip and their answers are inflated ({@link Bodies}): the service gzips its big reads only
 * when asked, and the JDK's HttpClient neither asks nor inflates. The event stream is not asked for gzip.
 */
class CompressedAnswersTests {

	static final String LIST = "{\"dns\":[{\"dn\":\"5001\",\"sip_uri\":\"sip:5001@x\",\"status\":\"registered\","
			+ "\"availability\":\"busy\",\"active_call_count\":1,\"contact_count\":1}],\"count\":1}";

	static final String HANGUP = "{\"status\":\"terminated\",\"call_id\":\"call-1\"}";

	static byte[] gzip(String text) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
			out.write(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	static HttpHeaders contentEncoding(String... values) {
		return HttpHeaders.of(Map.of("Content-Encoding", List.of(values)), (name, value) -> true);
	}

	@Test
	void aGzippedAnswerReadsAsThePlainOneAndAGzippedErrorKeepsItsMessage() throws IOException {
		try (LoopbackServer server = new LoopbackServer((request, n, out) -> {
			switch (n) {
				case 1 -> LoopbackServer.respond(out, 200, LIST);
				case 2 -> LoopbackServer.respond(out, 200, gzip(LIST), "Content-Encoding", "gzip");
				case 3 -> LoopbackServer.respond(out, 200, gzip(LIST), "Content-Encoding", "GZip");
				case 4 -> LoopbackServer.respond(out, 200, gzip(HANGUP), "Content-Encoding", "gzip");
				default -> LoopbackServer.respond(out, 404, gzip("{\"error\":\"DN not found: 5999\"}"),
						"Content-Encoding", "gzip", "X-Request-Id", "req-1");
			}
		})) {
			SignalingClient api = SignalingClientTests.client(server);
			DnList plain = api.listDns();
			assertEquals(1, plain.count());
			assertEquals(plain, api.listDns());
			assertEquals(plain, api.listDns());
			assertEquals(new HangupResult("terminated", "call-1"), api.hangup("call-1"));
			SignalingApiException notFound = assertThrows(SignalingApiException.class, () -> api.getDn("5999"));
			assertEquals("DN not found: 5999", notFound.error());
			assertEquals("{\"error\":\"DN not found: 5999\"}", notFound.body());
			assertEquals("req-1", notFound.requestId());
		}
	}

	@Test
	void jsonRequestsAskForGzipButTheEventStreamDoesNot() throws Exception {
		try (LoopbackServer server = new LoopbackServer((request, n, out) -> {
			if (request.target().startsWith("/api/events")) {
				LoopbackServer.respond(out, 401, "{\"error\":\"Authentication required\"}"); // stops the subscription
				return;
			}
			LoopbackServer.respond(out, 200, switch (request.target()) {
				case "/api/dn/list" -> LIST;
				case "/api/call/hangup" -> HANGUP;
				default -> "{\"call_id\":\"call-1\",\"held\":true}";
			});
		})) {
			SignalingClient api = SignalingClientTests.client(server);
			api.listDns();
			api.hangup("call-1");
			api.hold("call-1");
			EventSubscription events = api.events().open();
			assertTrue(events.awaitStopped(Duration.ofSeconds(10)));
			assertEquals(401, ((SignalingApiException) events.failure()).status());

			assertEquals(List.of("GET /api/dn/list gzip", "POST /api/call/hangup gzip",
					"POST /api/calls/call-1/hold gzip", "GET /api/events null"),
					server.requests.stream()
						.map((request) -> request.method() + " " + request.target() + " "
								+ request.header("Accept-Encoding"))
						.toList());
		}
	}

	@Test
	void anUndecodableAnswerIsABadAnswerAndIsNotRetried() throws IOException {
		byte[] truncated = Arrays.copyOf(gzip(LIST), gzip(LIST).length / 2);
		try (LoopbackServer server = new LoopbackServer((request, n, out) -> {
			switch (n) {
				// JSON as it is, but labelled gzip: not what it says it is
				case 1 -> LoopbackServer.respond(out, 200, "{\"dns\":[],\"count\":0}", "Content-Encoding", "gzip");
				case 2 -> LoopbackServer.respond(out, 200, truncated, "Content-Encoding", "gzip");
				// a coding the client did not ask for
				case 3 -> LoopbackServer.respond(out, 200, "{\"dns\":[],\"count\":0}", "Content-Encoding", "br");
				default -> LoopbackServer.respond(out, 503, "{\"error\":\"Kamailio unreachable\"}",
						"Content-Encoding", "gzip", "Retry-After", "3");
			}
		})) {
			SignalingClient api = SignalingClientTests.client(server);
			IllegalArgumentException notGzip = assertThrows(IllegalArgumentException.class, api::listDns);
			assertTrue(notGzip.getMessage().contains("corrupt gzip body"), notGzip.getMessage());
			IllegalArgumentException cut = assertThrows(IllegalArgumentException.class, api::listDns);
			assertTrue(cut.getMessage().contains("corrupt gzip body"), cut.getMessage());
			IllegalArgumentException brotli = assertThrows(IllegalArgumentException.class, api::listDns);
			assertTrue(brotli.getMessage().contains("Content-Encoding br was not asked for"), brotli.getMessage());

			// an error answer still says its status, as one whose body is a proxy's page does
			SignalingApiException unavailable = assertThrows(SignalingApiException.class, api::listDns);
			assertEquals(503, unavailable.status());
			assertEquals("HTTP 503", unavailable.error());
			assertEquals(Duration.ofSeconds(3), unavailable.retryAfter());
			assertNull(unavailable.body());
			assertInstanceOf(IllegalArgumentException.class, unavailable.getCause());
			assertEquals(4, server.requests.size(), "an answer came: nothing to retry");
		}
	}

	@Test
	void inflatingStopsAtTheLimit() {
		assertEquals("x".repeat(1000), Bodies.text(gzip("x".repeat(1000)), contentEncoding("gzip"), 1000));
		IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
				() -> Bodies.text(gzip("x".repeat(1001)), contentEncoding("gzip"), 1000));
		assertTrue(tooBig.getMessage().contains("more than 1000 bytes"), tooBig.getMessage());
		// a bomb: 8 MiB of zeros is 8 KB of gzip
		byte[] bomb = gzip("\0".repeat(8 * 1024 * 1024));
		assertTrue(bomb.length < 64 * 1024, "compressed to " + bomb.length);
		assertThrows(IllegalArgumentException.class, () -> Bodies.text(bomb, contentEncoding("gzip"), 1024 * 1024));
	}

	@Test
	void theContentEncodingIsReadCaseInsensitivelyAndIdentityOrNoneIsUsedAsIs() {
		assertEquals(LIST, Bodies.text(gzip(LIST), contentEncoding(" GZip ")));
		assertEquals(LIST, Bodies.text(LIST.getBytes(StandardCharsets.UTF_8), contentEncoding("identity")));
		assertEquals(LIST, Bodies.text(LIST.getBytes(StandardCharsets.UTF_8), contentEncoding()));
		assertThrows(IllegalArgumentException.class, () -> Bodies.text(gzip(LIST), contentEncoding("gzip", "br")));
	}

}
