package org.signaling.api.webhooks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.signaling.api.events.EventTypes;
import org.signaling.api.events.StoredEvent;
import org.signaling.api.testsupport.AuthenticatedRequests;
import org.signaling.api.testsupport.FakeBackends;
import org.signaling.api.testsupport.InMemoryEventLog;
import org.signaling.api.testsupport.MutableClock;
import org.signaling.api.testsupport.TestCredentials;
import org.signaling.api.webhooks.WebhookReceiver.Reply;
import org.signaling.api.webhooks.WebhookReceiver.Request;
import org.signaling.api.webhooks.internal.Backoff;
import org.signaling.api.webhooks.internal.WebhookDispatcher;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /api/webhooks} through the whole service (real validation, error contract, access rules, database and
 * dispatcher) with an in-memory event log the test appends to, and real HTTP subscribers on loopback.
 */
@SpringBootTest(properties = { "signaling.kamailio.rpc-url=http://127.0.0.1:9/RPC",
		"signaling.kamailio.sip-domain=192.168.210.54", "signaling.genesys.server=192.168.210.81:5060",
		"signaling.dn.directory=5001-5005", "signaling.calls.reconcile-interval=1h",
		"signaling.webhooks.allow-insecure-urls=true", "signaling.webhooks.poll-interval=50ms",
		"signaling.webhooks.response-timeout=2s" })
@AutoConfigureMockMvc
@Import({ AuthenticatedRequests.class, WebhookApiTests.Fakes.class })
class WebhookApiTests {

	static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

	static final String ID = "wh-[0-9a-f]{32}";

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

	final JsonMapper json = JsonMapper.builder().build();

	WebhookReceiver receiver;

	@BeforeEach
	void setUp() throws Exception {
		clock.set(NOW);
		jdbc.sql("delete from webhook_subscription").update();
		receiver = WebhookReceiver.start();
	}

	@AfterEach
	void tearDown() throws Exception {
		receiver.close();
	}

	@Test
	void createsASubscriptionAndShowsItsSecretOnlyInTheAnswer() throws Exception {
		MvcTestResult created = create("{\"url\":\"" + receiver.url() + "\"}");

		assertThat(created).hasStatus(HttpStatus.CREATED);
		JsonNode body = body(created);
		String id = body.get("id").asString();
		String secret = body.get("secret").asString();
		assertThat(id).matches(ID);
		assertThat(secret).as("Standard Webhooks: 32 bytes in base64").matches("whsec_[A-Za-z0-9+/]{43}=");
		assertThat(created).hasHeader("Location", "/api/webhooks/" + id);
		assertThat(created).bodyJson().isLenientlyEqualTo("""
				{"name":null,"source":"api","url":"%s","dns":[],"created_at":%d,"updated_at":%d,
				 "previous_secret_expires_at":null,"pending_deliveries":0,"dead_deliveries":0}"""
			.formatted(receiver.url(), NOW.getEpochSecond(), NOW.getEpochSecond()));
		assertThat(created).bodyJson().extractingPath("$.event_types").isEqualTo(EventTypes.ALL);

		MvcTestResult one = mvc.get().uri("/api/webhooks/" + id).exchange();
		MvcTestResult all = mvc.get().uri("/api/webhooks").exchange();
		assertThat(one).hasStatusOk().bodyJson().extractingPath("$.id").isEqualTo(id);
		assertThat(all).hasStatusOk().bodyJson().extractingPath("$.count").isEqualTo(1);
		for (MvcTestResult read : List.of(one, all)) {
			assertThat(read.getResponse().getContentAsString()).doesNotContain(secret).doesNotContain("\"secret\"");
		}
	}

	@Test
	void createsASubscriptionWithTypesDnsAndItsOwnSecret() throws Exception {
		MvcTestResult created = create("""
				{"url":"%s","event_types":["call.ended","dn.busy","call.ended"],"dns":["5002","5001"],
				 "secret":"my-own-secret-0123456789"}""".formatted(receiver.url()));

		assertThat(created).hasStatus(HttpStatus.CREATED).bodyJson().isLenientlyEqualTo("""
				{"event_types":["dn.busy","call.ended"],"dns":["5001","5002"],"secret":"my-own-secret-0123456789"}""");
	}

	static List<Arguments> invalidSubscriptions() {
		return List.of(Arguments.of("{}", "Missing required parameter: url"),
				Arguments.of("{\"url\":\"  \"}", "Missing required parameter: url"),
				Arguments.of("{\"url\":\"ftp://127.0.0.1/hook\"}",
						"Invalid url: only http and https URLs can receive webhooks"),
				Arguments.of("{\"url\":\"/relative/hook\"}",
						"Invalid url: only http and https URLs can receive webhooks"),
				Arguments.of("{\"url\":\"http://admin:pw@127.0.0.1/hook\"}",
						"Invalid url: credentials in the URL are not allowed (verify the signature instead)"),
				Arguments.of("{\"url\":\"http://127.0.0.1/hook#part\"}", "Invalid url: a fragment is not allowed"),
				Arguments.of("{\"url\":\"http://127.0.0.1/a hook\"}",
						"Invalid url: at most 2048 characters, no spaces or non-ASCII"),
				Arguments.of("{\"url\":\"http://127.0.0.1/" + "a".repeat(2040) + "\"}",
						"Invalid url: at most 2048 characters, no spaces or non-ASCII"),
				Arguments.of("{\"url\":\"http://127.0.0.1/hook\",\"event_types\":[\"call.exploded\"]}",
						"Unknown event type: call.exploded"),
				Arguments.of("{\"url\":\"http://127.0.0.1/hook\",\"event_types\":[\"<script>\"]}",
						"Invalid event_types: unknown event type"),
				Arguments.of("{\"url\":\"http://127.0.0.1/hook\",\"event_types\":[]}",
						"Invalid event_types: give at least one type, or leave event_types out for all"),
				Arguments.of("{\"url\":\"http://127.0.0.1/hook\",\"event_types\":\"call.ended\"}",
						"Malformed JSON request body"),
				Arguments.of("{\"url\":\"http://127.0.0.1/hook\",\"dns\":[\"50 01\"]}",
						"Invalid dns: expected DNs of 1-64 characters of A-Z a-z 0-9 + * # . _ -"),
				Arguments.of("{\"url\":\"http://127.0.0.1/hook\",\"secret\":\"too-short\"}",
						"Invalid secret: expected 16-256 visible ASCII characters"),
				Arguments.of("{\"url\":", "Malformed JSON request body"));
	}

	@ParameterizedTest
	@MethodSource("invalidSubscriptions")
	void refusesAnInvalidSubscriptionWith400(String request, String error) throws Exception {
		assertError(create(request), HttpStatus.BAD_REQUEST, error);
		assertThat(mvc.get().uri("/api/webhooks")).bodyJson().extractingPath("$.count").isEqualTo(0);
	}

	/** Loopback is allowed here (application-test.yml); WebhookTargetApiTests has the rest of the rules. */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254", "[fe80::1]", "[fd00::1]",
			"[::1]", "0.0.0.0", "224.0.0.1", "100.64.0.1", "[::ffff:169.254.169.254]" })
	void refusesATargetInAnInternalNetworkWith400(String host) throws Exception {
		MvcTestResult refused = create(
				"{\"url\":\"http://" + host + "/hook?token=secret-token-42\",\"event_types\":[\"call.ended\"]}");

		assertError(refused, HttpStatus.BAD_REQUEST, "Invalid url: the host does not resolve to a public address");
		assertThat(refused.getResponse().getContentAsString()).doesNotContain("secret-token-42");
		assertThat(mvc.get().uri("/api/webhooks")).bodyJson().extractingPath("$.count").isEqualTo(0);
	}

	@Test
	void unknownSubscriptionsAndDeliveriesAre404() throws Exception {
		String unknown = "/api/webhooks/wh-00000000000000000000000000000000";
		String error = "Webhook not found: wh-00000000000000000000000000000000";
		assertError(mvc.get().uri(unknown).exchange(), HttpStatus.NOT_FOUND, error);
		assertError(mvc.delete().uri(unknown).exchange(), HttpStatus.NOT_FOUND, error);
		assertError(mvc.post().uri(unknown + "/rotate-secret").exchange(), HttpStatus.NOT_FOUND, error);
		assertError(mvc.get().uri(unknown + "/deliveries").exchange(), HttpStatus.NOT_FOUND, error);
		assertError(mvc.post().uri(unknown + "/deliveries/dlv-00000000000000000000000000000000/redeliver").exchange(),
				HttpStatus.NOT_FOUND, error);
		assertError(mvc.get().uri("/api/webhooks/not-an-id").exchange(), HttpStatus.NOT_FOUND, "Webhook not found");

		String id = body(create("{\"url\":\"" + receiver.url() + "\"}")).get("id").asString();
		String delivery = "/api/webhooks/" + id + "/deliveries/dlv-00000000000000000000000000000000";
		assertError(mvc.get().uri(delivery).exchange(), HttpStatus.NOT_FOUND,
				"Delivery not found: dlv-00000000000000000000000000000000");
		assertError(mvc.post().uri(delivery + "/redeliver").exchange(), HttpStatus.NOT_FOUND,
				"Delivery not found: dlv-00000000000000000000000000000000");
	}

	@Test
	void deleteIs204AndTheSubscriptionIsGone() throws Exception {
		String id = body(create("{\"url\":\"" + receiver.url() + "\"}")).get("id").asString();

		assertThat(mvc.delete().uri("/api/webhooks/" + id)).hasStatus(HttpStatus.NO_CONTENT);

		assertThat(mvc.get().uri("/api/webhooks/" + id)).hasStatus(HttpStatus.NOT_FOUND);
		assertThat(mvc.get().uri("/api/webhooks")).bodyJson().extractingPath("$.count").isEqualTo(0);
	}

	@Test
	void rotationReturnsTheNewSecretOnceAndSignsWithBothDuringTheOverlap() throws Exception {
		String first = "first-secret-0123456789";
		String id = body(create("{\"url\":\"" + receiver.url() + "\",\"secret\":\"" + first + "\"}")).get("id")
			.asString();
		clock.advance(Duration.ofMinutes(5));

		MvcTestResult rotated = mvc.post().uri("/api/webhooks/" + id + "/rotate-secret").exchange();

		assertThat(rotated).hasStatusOk();
		String second = body(rotated).get("secret").asString();
		assertThat(second).as("Standard Webhooks: 32 bytes in base64").matches("whsec_[A-Za-z0-9+/]{43}=");
		long overlapEnd = NOW.plus(Duration.ofMinutes(5)).plus(Duration.ofHours(24)).getEpochSecond();
		String overlap = "{\"previous_secret_expires_at\":%d}".formatted(overlapEnd);
		assertThat(rotated).bodyJson().isLenientlyEqualTo(overlap);
		MvcTestResult read = mvc.get().uri("/api/webhooks/" + id).exchange();
		assertThat(read).bodyJson().isLenientlyEqualTo(overlap);
		assertThat(read.getResponse().getContentAsString()).doesNotContain(second).doesNotContain(first);

		Request request = deliveredOnce(events.append(EventTypes.DN_BUSY, "dn", "5001", Map.of("dn", "5001")));
		String timestamp = request.header("X-Signaling-Timestamp");
		assertThat(request.header("X-Signaling-Signature"))
			.isEqualTo("v1=" + IndependentVerifiers.openssl(second, timestamp, request.body()) + ",v1="
					+ IndependentVerifiers.openssl(first, timestamp, request.body()));

		MvcTestResult own = mvc.post()
			.uri("/api/webhooks/" + id + "/rotate-secret")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"secret\":\"third-secret-0123456789\"}")
			.exchange();
		assertThat(own).hasStatusOk().bodyJson().extractingPath("$.secret").isEqualTo("third-secret-0123456789");
		assertError(mvc.post()
			.uri("/api/webhooks/" + id + "/rotate-secret")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"secret\":\"short\"}")
			.exchange(), HttpStatus.BAD_REQUEST, "Invalid secret: expected 16-256 visible ASCII characters");
	}

	@Test
	void theDocumentedVerifiersAcceptADeliveryAndRejectATamperedOne() throws Exception {
		String secret = body(create("{\"url\":\"" + receiver.url() + "\"}")).get("secret").asString();
		Request request = deliveredOnce(
				events.append(EventTypes.CALL_ENDED, "call", "call-9", Map.of("call_id", "call-9", "from_dn", "5001")));
		String body = request.body();
		String id = request.header("webhook-id");
		String timestamp = request.header("webhook-timestamp");
		String signature = request.header("webhook-signature");
		assertThat(id).isEqualTo(request.eventId());
		assertThat(timestamp).isEqualTo(request.header("X-Signaling-Timestamp"));

		assumeThat(IndependentVerifiers.isInstalled("python3")).as("python3 installed").isTrue();
		assertThat(IndependentVerifiers.python(secret, body, id, timestamp, signature)).isTrue();
		assertThat(IndependentVerifiers.python(secret, body.replace("call-9", "call-8"), id, timestamp, signature))
			.isFalse();
		assertThat(IndependentVerifiers.python(secret, body, "evt-another", timestamp, signature)).isFalse();
		assumeThat(IndependentVerifiers.isInstalled("node")).as("node installed").isTrue();
		assertThat(IndependentVerifiers.node(secret, body, id, timestamp, signature)).isTrue();
		assertThat(IndependentVerifiers.node(secret, body, id, Long.toString(Long.parseLong(timestamp) + 1),
				signature)).isFalse();
		assertThat(IndependentVerifiers.node("whsec_" + "A".repeat(43) + "=", body, id, timestamp, signature))
			.isFalse();
	}

	@Test
	void theDocumentedVerifiersAgreeWithTheSpecificationsExample() {
		// The example of the Standard Webhooks specification (and of Svix, which wrote it): the snippets are right
		// independently of this service's signer.
		String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
		String id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
		String timestamp = "1614265330";
		String body = "{\"test\": 2432232314}";
		String signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

		assumeThat(IndependentVerifiers.isInstalled("python3")).as("python3 installed").isTrue();
		assertThat(IndependentVerifiers.python(secret, body, id, timestamp, signature)).isTrue();
		assertThat(IndependentVerifiers.python(secret, body + " ", id, timestamp, signature)).isFalse();
		assumeThat(IndependentVerifiers.isInstalled("node")).as("node installed").isTrue();
		assertThat(IndependentVerifiers.node(secret, body, id, timestamp, signature)).isTrue();
	}

	@Test
	void theSnippetsAreThoseOfTheDocumentation() throws Exception {
		String page = Files.readString(Path.of(System.getProperty("project.basedir", "."), "docs", "webhooks.md"));

		assertThat(page).contains(IndependentVerifiers.PYTHON_SNIPPET).contains(IndependentVerifiers.NODE_SNIPPET);
	}

	@Test
	void aTestDeliveryReachesOneSubscriptionSignedTheStandardWay() throws Exception {
		String id = body(create("{\"url\":\"" + receiver.url() + "\",\"event_types\":[\"call.ended\"],"
				+ "\"dns\":[\"5001\"]}")).get("id").asString();
		String secret = jdbc.sql("select secret from webhook_subscription where id = :id").param("id", id)
			.query(String.class).single();

		MvcTestResult queued = mvc.post().uri("/api/webhooks/" + id + "/test").exchange();

		assertThat(queued).hasStatus(HttpStatus.ACCEPTED);
		String deliveryId = body(queued).get("id").asString();
		assertThat(queued).hasHeader("Location", "/api/webhooks/" + id + "/deliveries/" + deliveryId);
		await().until(() -> !receiver.accepted().isEmpty());
		Request request = receiver.accepted().get(0);
		JsonNode event = json.readTree(request.body());
		assertThat(event.get("type").asString()).isEqualTo("webhook.test");
		assertThat(event.get("data").get("webhook_id").asString()).isEqualTo(id);
		assertThat(request.header("webhook-id")).isEqualTo(event.get("id").asString());
		assertThat(request.header("webhook-signature")).matches("v1,[A-Za-z0-9+/]{43}=");
		assumeThat(IndependentVerifiers.isInstalled("python3")).as("python3 installed").isTrue();
		assertThat(IndependentVerifiers.python(secret, request.body(), request.header("webhook-id"),
				request.header("webhook-timestamp"), request.header("webhook-signature"))).isTrue();
		await().untilAsserted(() -> assertThat(mvc.get().uri("/api/webhooks/" + id + "/deliveries/" + deliveryId))
			.bodyJson().extractingPath("$.status").isEqualTo("delivered"));
		assertThat(mvc.post().uri("/api/webhooks/wh-00000000000000000000000000000000/test")).hasStatus(
				HttpStatus.NOT_FOUND);
	}

	@Test
	void showsDeliveriesWithTheirAttemptsAndRedeliversOnRequest() throws Exception {
		// Only what the test appends: the service's own producers run too. The sequence counts the subject's events,
		// which other tests append to as well (in any order): expected as the log numbered them.
		String id = body(create("""
				{"url":"%s","event_types":["dn.registered","dn.available"],"dns":["5004"]}"""
				.formatted(receiver.url())))
			.get("id")
			.asString();
		long agesBefore = meters.get("signaling.webhook.delivery.age").timer().count();
		StoredEvent older = events.append(EventTypes.DN_REGISTERED, "dn", "5004", Map.of("dn", "5004"));
		StoredEvent newer = events.append(EventTypes.DN_AVAILABLE, "dn", "5004", Map.of("dn", "5004"));
		deliveredOnce(older);
		deliveredOnce(newer);
		await().untilAsserted(() -> assertThat(mvc.get().uri("/api/webhooks/" + id + "/deliveries?status=pending"))
			.bodyJson()
			.extractingPath("$.count")
			.isEqualTo(0));
		// each delivery's age when taken, and each attempt's duration by outcome
		assertThat(meters.get("signaling.webhook.delivery.age").timer().count()).isGreaterThanOrEqualTo(agesBefore + 2);
		assertThat(meters.get("signaling.webhook.attempt.duration").tag("outcome", "success").timer().count())
			.isGreaterThanOrEqualTo(2);

		MvcTestResult list = mvc.get().uri("/api/webhooks/" + id + "/deliveries").exchange();

		assertThat(list).hasStatusOk().bodyJson().isLenientlyEqualTo("""
				{"count":2,"deliveries":[
				 {"webhook_id":"%s","event_id":"%s","event_type":"dn.available","subject_type":"dn","subject":"5004",
				  "sequence":%d,"status":"delivered","attempts":1,"created_at":%d,"next_attempt_at":null,
				  "last_attempt_at":%d,"completed_at":%d,"last_status_code":200,"last_error":null},
				 {"event_id":"%s","sequence":%d,"status":"delivered"}]}"""
			.formatted(id, newer.event().id(), newer.event().sequence(), NOW.getEpochSecond(), NOW.getEpochSecond(),
					NOW.getEpochSecond(), older.event().id(), older.event().sequence()));
		assertThat(newer.event().sequence()).isEqualTo(older.event().sequence() + 1);
		assertThat(list.getResponse().getContentAsString()).doesNotContain("attempt_history");
		assertThat(mvc.get().uri("/api/webhooks/" + id + "/deliveries?status=dead")).bodyJson()
			.extractingPath("$.count")
			.isEqualTo(0);
		assertThat(mvc.get().uri("/api/webhooks/" + id + "/deliveries?limit=1")).bodyJson()
			.extractingPath("$.deliveries[0].event_id")
			.isEqualTo(newer.event().id());
		assertError(mvc.get().uri("/api/webhooks/" + id + "/deliveries?status=lost").exchange(),
				HttpStatus.BAD_REQUEST, "Invalid status: expected pending, delivered or dead");
		assertError(mvc.get().uri("/api/webhooks/" + id + "/deliveries?limit=0").exchange(), HttpStatus.BAD_REQUEST,
				"Invalid limit: expected 1-500");
		assertError(mvc.get().uri("/api/webhooks/" + id + "/deliveries?limit=many").exchange(),
				HttpStatus.BAD_REQUEST, "Invalid limit: expected 1-500");

		String deliveryId = body(list).get("deliveries").get(1).get("id").asString();
		String delivery = "/api/webhooks/" + id + "/deliveries/" + deliveryId;
		assertThat(mvc.get().uri(delivery)).hasStatusOk().bodyJson().isLenientlyEqualTo("""
				{"id":"%s","attempt_history":[{"attempt":1,"at":%d,"status_code":200,"error":null}]}"""
			.formatted(deliveryId, NOW.getEpochSecond()));

		MvcTestResult redelivered = mvc.post().uri(delivery + "/redeliver").exchange();

		assertThat(redelivered).hasStatus(HttpStatus.ACCEPTED).bodyJson().isLenientlyEqualTo("""
				{"id":"%s","status":"pending","attempts":1,"completed_at":null}""".formatted(deliveryId));
		await().until(() -> receiver.receivedFor(older.event().id()).size() == 2);
		await().untilAsserted(() -> assertThat(mvc.get().uri(delivery)).bodyJson().isLenientlyEqualTo("""
				{"status":"delivered","attempts":2,"attempt_history":[{"attempt":1},{"attempt":2}]}"""));
	}

	@Test
	void failingDeliveriesShowTheirErrorsThenDieAndAreCounted() throws Exception {
		receiver.answer(Reply.FAIL);
		String id = body(create("{\"url\":\"" + receiver.url() + "\",\"event_types\":[\"call.ended\"]}"))
			.get("id")
			.asString();
		events.append(EventTypes.CALL_ENDED, "call", "call-5", Map.of("call_id", "call-5"));

		await().untilAsserted(() -> assertThat(mvc.get().uri("/api/webhooks/" + id + "/deliveries")).bodyJson()
			.isLenientlyEqualTo("""
					{"count":1,"deliveries":[{"status":"pending","attempts":1,"last_status_code":500,
					 "last_error":"HTTP 500","next_attempt_at":%d}]}""".formatted(NOW.getEpochSecond() + 1)));
		assertThat(mvc.get().uri("/api/webhooks/" + id)).bodyJson().extractingPath("$.pending_deliveries").isEqualTo(1);

		clock.advance(Duration.ofHours(25));
		dispatcher.wake();

		await().untilAsserted(() -> assertThat(mvc.get().uri("/api/webhooks/" + id)).bodyJson()
			.isLenientlyEqualTo("{\"pending_deliveries\":0,\"dead_deliveries\":1}"));
		await().untilAsserted(() -> assertThat(meters.get("signaling.webhook.deliveries.dead").gauge().value())
			.isEqualTo(1.0));
		MvcTestResult prometheus = mvc.get().uri("/actuator/prometheus").exchange();
		assertThat(prometheus.getResponse().getContentAsString()).contains("signaling_webhook_deliveries_dead ")
			.contains("signaling_webhook_deliveries_pending ")
			.containsPattern("signaling_webhook_deliveries_total\\{[^}]*outcome=\"dead\"")
			.containsPattern("signaling_webhook_attempts_total\\{[^}]*outcome=\"http_error\"");
	}

	@Test
	void subscriptionsNeedTheAdminScope() throws Exception {
		MvcTestResult asReader = mvc.get()
			.uri("/api/webhooks")
			.header("X-API-Key", TestCredentials.READER_KEY)
			.exchange();

		assertThat(asReader).hasStatus(HttpStatus.FORBIDDEN);
	}

	private Request deliveredOnce(StoredEvent event) {
		await().until(() -> receiver.accepted().stream().anyMatch((r) -> r.eventId().equals(event.event().id())));
		List<Request> requests = receiver.receivedFor(event.event().id());
		assertThat(requests).hasSize(1);
		return requests.get(0);
	}

	private MvcTestResult create(String body) {
		return mvc.post().uri("/api/webhooks").contentType(MediaType.APPLICATION_JSON).content(body).exchange();
	}

	private JsonNode body(MvcTestResult result) throws Exception {
		return json.readTree(result.getResponse().getContentAsString());
	}

	private static void assertError(MvcTestResult result, HttpStatus status, String error) {
		assertThat(result).hasStatus(status).bodyJson().extractingPath("$.error").isEqualTo(error);
	}

	/** The fake backends, plus an event log in memory and backoff without jitter. */
	@TestConfiguration(proxyBeanMethods = false)
	@Import(FakeBackends.class)
	static class Fakes {

		@Bean
		@Primary
		InMemoryEventLog inMemoryEventLog(MutableClock clock, ApplicationEventPublisher publisher) {
			InMemoryEventLog log = new InMemoryEventLog(clock);
			log.announceTo(publisher::publishEvent);
			return log;
		}

		/** No jitter: retries come exactly 1 s, 2 s, 4 s... after a failure. */
		@Bean
		@Primary
		Backoff fixedBackoff(WebhookProperties properties) {
			return new Backoff(properties, () -> 1.0);
		}

	}

}
