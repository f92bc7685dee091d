package org.signaling.api.browser;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.signaling.api.testsupport.ApiClient;
import org.signaling.api.testsupport.FreePorts;
import org.signaling.api.testsupport.KamailioProcess;
import org.signaling.api.testsupport.LiveService;
import org.signaling.api.testsupport.TestCredentials;
import org.signaling.api.testsupport.TestTls;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 11.4, WWE embedding, in real headless Chromium: a host page framing the softphone ({@code /agent}, with
 * {@code allow="microphone"}) hands it the agent token through {@code postMessage}, and only a host on an origin of
 * {@code signaling.pages.frame-ancestors} can. The service runs against the real Kamailio (kamailio.cfg, agents
 * authenticated with the SIP credentials the page gets with that token).
 *
 * <p>The host pages come from two small HTTP servers of the test on loopback, so two origins other than the
 * service's ({@code https://localhost:PORT}): {@link #ALLOWED} ({@code http://127.0.0.1:P1}, the only
 * frame-ancestor) and {@link #STRANGER} ({@code http://127.0.0.1:P2}). Both serve the same two pages:
 * {@code /host?agent=URL[&answer=DN][&stranger=URL]} frames the softphone as {@code iframe#agent} (first frame), and
 * answers the page's {@code signaling-agent-ready} / {@code signaling-agent-token-needed} with DN's agent token when
 * {@code answer} is given; with {@code stranger} it also frames that page as {@code iframe#stranger}, another
 * origin's frame beside the softphone (a widget, an ad). {@code /stranger} is an empty page. Both record the
 * messages they receive in {@code window.hostLog}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AgentEmbeddingIT {

	static {
		LoopbackNamespace.assertOnlyLoopback();
	}

	static final Duration BOUND = Duration.ofSeconds(30);

	static final TestTls TLS = TestTls.create();

	static final KamailioProcess KAMAILIO = KamailioProcess.start("127.0.0.1:9");

	/** The host page's origin, the one frame-ancestor (WWE's, in production). */
	static final HostServer ALLOWED = HostServer.start();

	/** An origin the service does not know. */
	static final HostServer STRANGER = HostServer.start();

	/**
	 * Records, in the framed softphone, every message it receives and the page's state right after: installed once
	 * the page has told its host it listens, so after the page's own listener, which runs first for the same message.
	 * The page's handling of a token it takes starts synchronously (signing in sets the registration to
	 * {@code connecting} before its first {@code await}), so the state recorded here shows whether the page took the
	 * message, without waiting for something not to happen.
	 */
	static final String RECORD_MESSAGES = """
			window.__received = [];
			window.addEventListener('message', (event) => {
				const state = window.signalingAgent.state();
				window.__received.push({ origin: event.origin, type: String(event.data && event.data.type),
					registration: state.registration, dn: state.dn, message: state.message });
			});
			""";

	@RegisterExtension
	final FailureDiagnostics diagnostics = new FailureDiagnostics(this::diagnostics,
			() -> (this.browser == null) ? List.of() : List.of(this.browser));

	@LocalServerPort
	int port;

	Chromium browser;

	AgentPage agent;

	ApiClient api;

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		LiveService.register(registry, TLS, KAMAILIO, "127.0.0.1:9");
		registry.add("signaling.pages.websocket-url", KAMAILIO::wsUrl);
		registry.add("signaling.pages.sip-domain", () -> "127.0.0.1");
		registry.add("signaling.pages.frame-ancestors", ALLOWED::origin);
	}

	@BeforeEach
	void client() {
		api = new ApiClient(serviceOrigin(), TLS.clientContext());
	}

	@AfterEach
	void closeBrowser() {
		if (browser != null) {
			browser.close();
		}
	}

	@AfterAll
	static void stopAll() {
		try {
			ALLOWED.close();
			STRANGER.close();
		}
		finally {
			KAMAILIO.close();
		}
	}

	@Test
	void aHostOnAnAllowedOriginHandsTheFramedSoftphoneItsTokenAndTheSoftphoneRegisters() {
		browser = Chromium.launch("embedding-host");
		browser.open(ALLOWED.url("/host?agent=" + encoded(agentUrl()) + "&answer=5001"));

		agent = AgentPage.inFrame(browser, "iframe#agent", "5001");
		agent.awaitSignedIn(BOUND);

		browser.leaveFrame();
		assertThat(hostLog()).as("the softphone told its host it listens, from the service's origin")
			.contains(Map.of("origin", serviceOrigin(), "type", "signaling-agent-ready"));
		await("5001 registered in Kamailio, as the service sees it").atMost(BOUND).untilAsserted(() -> {
			ApiClient.Response dn = api.get("/api/dn/5001");
			assertThat(dn.status()).isEqualTo(200);
			assertThat(dn.json().path("registered").asBoolean()).isTrue();
			assertThat(dn.json().path("status").asString()).isEqualTo("available");
		});
	}

	@Test
	void noOtherOriginGetsATokenInAndOnlyAWellFormedTokenMessageIsTaken() {
		browser = Chromium.launch("embedding-stranger");

		// a host on an origin not in frame-ancestors: Chromium refuses to show the softphone in its frame at all
		browser.open(STRANGER.url("/host?agent=" + encoded(agentUrl()) + "&answer=5003"));
		browser.enterFrame("iframe#agent");
		Map<String, Object> refused = frameContent();
		assertThat(refused).as("the frame holds Chromium's error page, not the softphone")
			.containsEntry("href", "chrome-error://chromewebdata/")
			.containsEntry("softphone", false)
			.containsEntry("hook", "undefined");
		browser.leaveFrame();
		assertThat(hostLog()).as("nothing in that frame talked to the host").isEmpty();

		// the allowed host, holding back its token, frames the softphone and, beside it, a frame of the other origin
		browser.open(ALLOWED.url("/host?agent=" + encoded(agentUrl()) + "&stranger="
				+ encoded(STRANGER.url("/stranger"))));
		await("the framed softphone listening (signaling-agent-ready at the host)").atMost(BOUND)
			.until(() -> hostLog().contains(Map.of("origin", serviceOrigin(), "type", "signaling-agent-ready")));
		agent = AgentPage.inFrame(browser, "iframe#agent", "5002");
		browser.script(RECORD_MESSAGES);

		// the other origin's frame posts a well-formed token message, for 5003, into the softphone's frame
		browser.enterFrame("iframe#stranger");
		browser.script("window.parent.frames[0].postMessage(arguments[0], '*');",
				Map.of("type", "signaling-agent-token", "token", TestCredentials.agentToken("5003")));
		// the allowed host posts two messages of the wrong shape: a token that is not a string, a wrong type
		browser.leaveFrame();
		postToAgent(Map.of("type", "signaling-agent-token", "token", 42));
		postToAgent(Map.of("type", "signaling-agent-login", "token", TestCredentials.agentToken("5004")));

		browser.enterFrame("iframe#agent");
		await("the three messages delivered to the softphone").atMost(BOUND).until(() -> received().size() == 3);
		assertThat(received()).as("each arrived, and left the page signed out with nothing to say")
			.extracting((message) -> message.get("origin") + " " + message.get("type") + " -> "
					+ message.get("registration") + " " + message.get("dn") + " '" + message.get("message") + "'")
			.containsExactlyInAnyOrder(
					STRANGER.origin() + " signaling-agent-token -> unregistered null ''",
					ALLOWED.origin() + " signaling-agent-token -> unregistered null ''",
					ALLOWED.origin() + " signaling-agent-login -> unregistered null ''");
		assertThat(agent.sipLog()).as("no REGISTER sent").isEmpty();

		// the control: the same way in, from the allowed origin and well formed, is taken at once
		browser.leaveFrame();
		postToAgent(Map.of("type", "signaling-agent-token", "token", TestCredentials.agentToken("5002")));
		browser.enterFrame("iframe#agent");
		await("the fourth message delivered").atMost(BOUND).until(() -> received().size() == 4);
		assertThat(received().get(3)).as("taken: signing in started as the message was handled")
			.containsEntry("origin", ALLOWED.origin())
			.containsEntry("registration", "connecting");
		agent.awaitSignedIn(BOUND);
	}

	/** The framed document, as seen from inside it (the driver in the frame). */
	@SuppressWarnings("unchecked")
	private Map<String, Object> frameContent() {
		return (Map<String, Object>) browser.script("""
				return { href: location.href, softphone: document.getElementById('registration') !== null,
					hook: typeof window.signalingAgent };
				""");
	}

	/** The messages the host page received, as {origin, type} (the driver on the host page). */
	@SuppressWarnings("unchecked")
	private List<Map<String, Object>> hostLog() {
		return (List<Map<String, Object>>) browser.script("return window.hostLog;");
	}

	/** The host page posts {@code data} to the softphone's frame, at the service's origin (the driver on the host). */
	private void postToAgent(Map<String, Object> data) {
		browser.script("document.getElementById('agent').contentWindow.postMessage(arguments[0], arguments[1]);", data,
				serviceOrigin());
	}

	/** What {@link #RECORD_MESSAGES} recorded so far (the driver in the softphone's frame). */
	@SuppressWarnings("unchecked")
	private List<Map<String, Object>> received() {
		return (List<Map<String, Object>>) browser.script("return window.__received;");
	}

	private String serviceOrigin() {
		return "https://localhost:" + port;
	}

	private String agentUrl() {
		return serviceOrigin() + "/agent";
	}

	private static String encoded(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/**
	 * For a failure: the host page's log, the framed softphone's state and SIP log, Kamailio's registrations and log.
	 */
	private String diagnostics() {
		StringBuilder text = new StringBuilder();
		if (browser != null && browser.isOpen()) {
			try {
				browser.leaveFrame();
				text.append(browser.diagnostics()).append("host log: ").append(hostLog()).append('\n');
				browser.enterFrame("iframe#agent");
				text.append("in the frame: ").append(frameContent()).append('\n');
				if (agent != null) {
					text.append("state(): ").append(agent.state()).append('\n');
					text.append("sipLog(): ").append(agent.sipLog()).append('\n');
				}
				text.append("received: ").append(browser.script("return window.__received;")).append('\n');
			}
			catch (RuntimeException ex) {
				text.append("(browser not readable: ").append(ex.getMessage().lines().findFirst().orElse(""))
					.append(")\n");
			}
		}
		text.append("--- Kamailio ").append(KAMAILIO).append('\n');
		try {
			String dump = KAMAILIO.rpc().call("ul.dump");
			text.append("ul.dump: ").append(dump, 0, Math.min(dump.length(), 4000)).append('\n');
		}
		catch (RuntimeException ex) {
			text.append("ul.dump: ").append(ex.getMessage()).append('\n');
		}
		return text.append("log (last 40 lines):\n").append(KAMAILIO.logTail(40)).append('\n').toString();
	}

	/**
	 * A host origin: an HTTP server on 127.0.0.1 serving {@code /host} and {@code /stranger} (see the class comment).
	 * Plain HTTP is enough: 127.0.0.1 is a secure context for Chromium, so the framed softphone may use the microphone.
	 */
	static final class HostServer implements AutoCloseable {

		private final HttpServer server;

		private HostServer(HttpServer server) {
			this.server = server;
		}

		static HostServer start() {
			try {
				HttpServer server = HttpServer.create(new InetSocketAddress(FreePorts.LOOPBACK, 0), 0);
				server.createContext("/host", (exchange) -> send(exchange, hostPage(query(exchange))));
				server.createContext("/stranger",
						(exchange) -> send(exchange, "<!doctype html><meta charset=\"utf-8\"><title>stranger</title>"
								+ "<p>Another origin's frame.</p>"));
				server.start();
				return new HostServer(server);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		String origin() {
			return "http://127.0.0.1:" + server.getAddress().getPort();
		}

		String url(String pathAndQuery) {
			return origin() + pathAndQuery;
		}

		@Override
		public void close() {
			server.stop(0);
		}

		private static String hostPage(Map<String, String> query) {
			String agentUrl = query.getOrDefault("agent", "about:blank");
			String answer = query.get("answer");
			String token = (answer != null) ? TestCredentials.agentToken(answer) : null;
			String stranger = query.get("stranger");
			return """
					<!doctype html>
					<html lang="en"><head><meta charset="utf-8"><title>host</title></head><body>
					<iframe id="agent" allow="microphone" width="900" height="700" src="%s"></iframe>
					%s
					<script>
					  window.hostLog = [];
					  const agentOrigin = new URL(%s).origin;
					  const token = %s;
					  window.addEventListener('message', (event) => {
					    const type = event.data && event.data.type;
					    window.hostLog.push({ origin: event.origin, type: String(type) });
					    if (token && event.origin === agentOrigin
					        && (type === 'signaling-agent-ready' || type === 'signaling-agent-token-needed')) {
					      document.getElementById('agent').contentWindow.postMessage(
					        { type: 'signaling-agent-token', token }, agentOrigin);
					    }
					  });
					</script>
					</body></html>
					""".formatted(html(agentUrl),
					(stranger != null) ? "<iframe id=\"stranger\" width=\"300\" height=\"100\" src=\"" + html(stranger)
							+ "\"></iframe>" : "",
					jsString(agentUrl), (token != null) ? jsString(token) : "null");
		}

		private static Map<String, String> query(HttpExchange exchange) {
			Map<String, String> query = new HashMap<>();
			String raw = exchange.getRequestURI().getRawQuery();
			if (raw != null) {
				for (String pair : raw.split("&")) {
					int equals = pair.indexOf('=');
					if (equals > 0) {
						query.put(pair.substring(0, equals),
								URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
					}
				}
			}
			return query;
		}

		private static void send(HttpExchange exchange, String html) throws IOException {
			byte[] body = html.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
			exchange.getResponseHeaders().set("Cache-Control", "no-store");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}

		private static String html(String text) {
			return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
		}

		/** A JavaScript string literal; the values are the test's own URLs and tokens, quoted all the same. */
		private static String jsString(String text) {
			List<String> escaped = new ArrayList<>();
			for (char c : text.toCharArray()) {
				escaped.add((Character.isLetterOrDigit(c) || ":/.-_~?=&%+".indexOf(c) >= 0) ? String.valueOf(c)
						: String.format("\\u%04x", (int) c));
			}
			return "'" + String.join("", escaped) + "'";
		}

	}

}
