package org.signaling.api.webhooks;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.hc.core5.net.InetAddressUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.signaling.api.events.EventTypes;
import org.signaling.api.events.StoredEvent;
import org.signaling.api.testsupport.AuthenticatedRequests;
import org.signaling.api.testsupport.InMemoryEventLog;
import org.signaling.api.testsupport.MutableClock;
import org.signaling.api.webhooks.internal.HostLookup;
import org.signaling.api.webhooks.internal.WebhookDispatcher;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks never reach internal networks: through the whole service, with host names answered by a scripted lookup
 * (no DNS query leaves the machine) and one loopback address allowed, 127.0.0.2, so that everything else on loopback
 * (127.0.0.1 in particular) is refused as in production.
 */
@SpringBootTest(properties = { "signaling.kamailio.rpc-url=http://127.0.0.1:9/RPC",
		"signaling.kamailio.sip-domain=192.168.210.54", "signaling.genesys.server=192.168.210.81:5060",
		"signaling.dn.directory=5001-5005", "signaling.calls.reconcile-interval=1h",
		"signaling.webhooks.allow-insecure-urls=true", "signaling.webhooks.poll-interval=50ms",
		"signaling.webhooks.response-timeout=2s", "signaling.webhooks.allowed-networks=127.0.0.2/32" })
@AutoConfigureMockMvc
@Import({ AuthenticatedRequests.class, WebhookApiTests.Fakes.class, WebhookTargetApiTests.Names.class })
class WebhookTargetApiTests {

	static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

	static final String REFUSED = "Invalid url: the host does not resolve to a public address";

	static final String BLOCKED = "Blocked: the host resolves to a non-public address";

	/** A public address; never connected to: each name that answers it answers loopback afterwards. */
	static final String PUBLIC = "93.184.215.14";

	@Autowired
	MockMvcTester mvc;

	@Autowired
	MutableClock clock;

	@Autowired
	InMemoryEventLog events;

	@Autowired
	WebhookDispatcher dispatcher;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MeterRegistry meters;

	@Autowired
	ScriptedNames names;

	final JsonMapper json = JsonMapper.builder().build();

	@BeforeEach
	void setUp() {
		clock.set(NOW);
		jdbc.sql("delete from webhook_subscription").update();
		names.clear();
		names.answer("localhost", "127.0.0.1");
		names.answer("internal.example.test", "10.1.2.3");
		names.answer("metadata.example.test", "169.254.169.254");
		names.answer("mixed.example.test", PUBLIC, "10.1.2.3");
		names.answer("loopback6.example.test", "::1");
	}

	@AfterEach
	void noSubscriptionLeft() {
		jdbc.sql("delete from webhook_subscription").update();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "127.0.0.1:8080", "127.0.0.1", "127.10.0.1", "[::1]", "169.254.169.254", "[fe80::1]",
			"10.0.0.1", "172.16.5.4", "192.168.1.1", "[fc00::1]", "[fd00::1]", "0.0.0.0:8443", "[::]", "224.0.0.1",
			"[ff02::1]", "100.64.0.1", "255.255.255.255", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::127.0.0.1]",
			"[::ffff:169.254.169.254]", "[64:ff9b::7f00:1]", "2130706433", "0", "0x7f000001", "017700000001",
			"localhost", "localhost:8443", "internal.example.test", "metadata.example.test", "mixed.example.test",
			"loopback6.example.test", "nowhere.example.test" })
	void refusesATargetThatIsOrResolvesToAnInternalAddress(String host) throws Exception {
		MvcTestResult refused = create("http://" + host + "/hooks?token=secret-token-42");

		assertThat(refused).hasStatus(HttpStatus.BAD_REQUEST).bodyJson().extractingPath("$.error").isEqualTo(REFUSED);
		String body = refused.getResponse().getContentAsString();
		assertThat(body).doesNotContain("secret-token-42").doesNotContain("hooks?");
		assertThat(mvc.get().uri("/api/webhooks")).bodyJson().extractingPath("$.count").isEqualTo(0);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "0x7f.1", "127.1", "0177.1" })
	void shorthandIpv4IsNotAHost(String host) {
		assertThat(create("http://" + host + "/hooks?token=secret-token-42")).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.extractingPath("$.error")
			.isEqualTo("Invalid url: no host");
	}

	@Test
	void acceptsAHostThatResolvesToPublicAddresses() {
		names.answer("hooks.example.test", PUBLIC);
		names.answer("hooks6.example.test", "2606:4700:4700::1111");

		assertThat(create("https://hooks.example.test/signaling")).hasStatus(HttpStatus.CREATED);
		assertThat(create("https://hooks6.example.test:8443/signaling")).hasStatus(HttpStatus.CREATED);
	}

	@Test
	void acceptsAndDeliversToAnAddressOfAnAllowedNetwork() {
		try (WebhookReceiver lab = WebhookReceiver.start("127.0.0.2", 0)) {
			assertThat(create(lab.url())).hasStatus(HttpStatus.CREATED);

			StoredEvent ended = events.append(EventTypes.CALL_ENDED, "call", "call-lab", Map.of("call_id", "call-lab"));

			await().until(() -> lab.accepted().stream().anyMatch((r) -> r.eventId().equals(ended.event().id())));
		}
	}

	@Test
	void aHostThatResolvesToLoopbackAtTheAttemptIsNeverConnectedToAndTheAttemptIsLoggedAsBlocked() throws Exception {
		try (ServerSocket subscriber = new ServerSocket()) {
			subscriber.bind(new InetSocketAddress("127.0.0.1", 0));
			// DNS rebinding: public when the subscription is made, loopback when the delivery is attempted.
			names.answer("rebind.example.test", PUBLIC);
			names.thenAnswer("rebind.example.test", "127.0.0.1");
			double blockedBefore = blockedAttempts();
			MvcTestResult created = create(
					"http://rebind.example.test:" + subscriber.getLocalPort() + "/hooks?token=secret-token-42");
			assertThat(created).hasStatus(HttpStatus.CREATED);
			String id = json.readTree(created.getResponse().getContentAsString()).get("id").asString();

			events.append(EventTypes.CALL_ENDED, "call", "call-r1", Map.of("call_id", "call-r1"));

			await().untilAsserted(() -> assertThat(mvc.get().uri("/api/webhooks/" + id + "/deliveries")).bodyJson()
				.isLenientlyEqualTo("""
						{"count":1,"deliveries":[{"status":"pending","attempts":1,"last_status_code":null,
						 "last_error":"%s","next_attempt_at":%d}]}""".formatted(BLOCKED, NOW.getEpochSecond() + 1)));
			assertThat(blockedAttempts()).isEqualTo(blockedBefore + 1);
			assertNoConnection(subscriber);

			// Blocked attempts are failed attempts: retried, then dead after the retry period.
			clock.advance(Duration.ofHours(25));
			dispatcher.wake();
			await().untilAsserted(() -> assertThat(mvc.get().uri("/api/webhooks/" + id + "/deliveries")).bodyJson()
				.isLenientlyEqualTo("""
						{"count":1,"deliveries":[{"status":"dead","attempts":2,"last_error":"%s"}]}"""
					.formatted(BLOCKED)));
			String deliveryId = json.readTree(mvc.get()
				.uri("/api/webhooks/" + id + "/deliveries")
				.exchange()
				.getResponse()
				.getContentAsString()).get("deliveries").get(0).get("id").asString();
			assertThat(mvc.get().uri("/api/webhooks/" + id + "/deliveries/" + deliveryId)).bodyJson()
				.isLenientlyEqualTo("""
						{"attempt_history":[{"attempt":1,"status_code":null,"error":"%s"},
						 {"attempt":2,"status_code":null,"error":"%s"}]}""".formatted(BLOCKED, BLOCKED));
			assertNoConnection(subscriber);
			assertThat(mvc.get().uri("/actuator/prometheus").exchange().getResponse().getContentAsString())
				.containsPattern("signaling_webhook_attempts_total\\{[^}]*outcome=\"blocked\"");
		}
	}

	private static void assertNoConnection(ServerSocket subscriber) throws Exception {
		// Never accepted: a connection the sender made would wait in the backlog and be returned at once.
		subscriber.setSoTimeout(100);
		assertThatThrownBy(subscriber::accept).isInstanceOf(SocketTimeoutException.class);
	}

	private double blockedAttempts() {
		Counter counter = meters.find("signaling.webhook.attempts").tag("outcome", "blocked").counter();
		return (counter != null) ? counter.count() : 0;
	}

	private MvcTestResult create(String url) {
		return mvc.post()
			.uri("/api/webhooks")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"url\":\"" + url + "\",\"event_types\":[\"call.ended\"]}")
			.exchange();
	}

	/**
	 * Host names as the test scripts them: each lookup takes the next answer, the last one repeats; a name without
	 * answers does not exist. IP literals are parsed by the JDK (no DNS).
	 */
	static final class ScriptedNames implements HostLookup {

		private final Map<String, Deque<InetAddress[]>> answers = new ConcurrentHashMap<>();

		void clear() {
			answers.clear();
		}

		/** The name's only answer from now on. */
		void answer(String name, String... addresses) {
			answers.put(name, new ArrayDeque<>());
			thenAnswer(name, addresses);
		}

		/** The answer after the previous ones. */
		void thenAnswer(String name, String... addresses) {
			InetAddress[] resolved = new InetAddress[addresses.length];
			for (int i = 0; i < addresses.length; i++) {
				if (!InetAddressUtils.isIPv4(addresses[i]) && !InetAddressUtils.isIPv6(addresses[i])) {
					throw new IllegalArgumentException("an IP literal");
				}
				try {
					resolved[i] = InetAddress.getByName(addresses[i]);
				}
				catch (UnknownHostException ex) {
					throw new IllegalArgumentException(ex);
				}
			}
			answers.computeIfAbsent(name, (key) -> new ArrayDeque<>()).add(resolved);
		}

		@Override
		public InetAddress[] lookup(String host) throws UnknownHostException {
			if (host.indexOf(':') >= 0 || InetAddressUtils.isIPv4(host)) {
				return InetAddress.getAllByName(host); // IPv6 or dotted IPv4: a literal or nothing
			}
			Deque<InetAddress[]> scripted = answers.get(host);
			if (scripted == null) {
				throw new UnknownHostException("Not scripted");
			}
			synchronized (scripted) {
				return (scripted.size() > 1) ? scripted.poll() : scripted.getFirst();
			}
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Names {

		@Bean
		@Primary
		ScriptedNames scriptedNames() {
			return new ScriptedNames();
		}

	}

}
