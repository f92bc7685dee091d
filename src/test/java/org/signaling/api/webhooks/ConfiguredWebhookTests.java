package org.signaling.api.webhooks;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.signaling.api.events.EventTypes;
import org.signaling.api.events.StoredEvent;
import org.signaling.api.testsupport.AuthenticatedRequests;
import org.signaling.api.testsupport.InMemoryEventLog;
import org.signaling.api.webhooks.WebhookReceiver.Request;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Subscriptions from configuration ({@code signaling.webhooks.subscriptions}): present at start-up, listed without
 * their secret, not deletable or rotatable over the API, and delivered to like the others.
 */
@SpringBootTest(properties = { "signaling.kamailio.rpc-url=http://127.0.0.1:9/RPC",
		"signaling.kamailio.sip-domain=192.168.210.54", "signaling.genesys.server=192.168.210.81:5060",
		"signaling.dn.directory=5001-5005", "signaling.calls.reconcile-interval=1h",
		"signaling.webhooks.allow-insecure-urls=true", "signaling.webhooks.poll-interval=50ms" })
@AutoConfigureMockMvc
@Import({ AuthenticatedRequests.class, WebhookApiTests.Fakes.class })
class ConfiguredWebhookTests {

	static final String SECRET = "crm-secret-from-the-environment-0123";

	static final WebhookReceiver RECEIVER = WebhookReceiver.start();

	// All in one property source: Boot binds a list from the one source that has it.
	@DynamicPropertySource
	static void subscriptions(DynamicPropertyRegistry registry) {
		registry.add("signaling.webhooks.subscriptions[0].name", () -> "crm");
		registry.add("signaling.webhooks.subscriptions[0].url", RECEIVER::url);
		registry.add("signaling.webhooks.subscriptions[0].event-types", () -> "call.ended");
		registry.add("signaling.webhooks.subscriptions[0].secret", () -> SECRET);
		registry.add("signaling.webhooks.subscriptions[1].name", () -> "wallboard");
		registry.add("signaling.webhooks.subscriptions[1].url", () -> "https://127.0.0.1:9/events");
		registry.add("signaling.webhooks.subscriptions[1].dns", () -> "5001,5002");
		registry.add("signaling.webhooks.subscriptions[1].secret", () -> "wallboard-secret-0123456789");
	}

	@AfterAll
	static void stopReceiver() {
		RECEIVER.close();
	}

	@Autowired
	MockMvcTester mvc;

	@Autowired
	InMemoryEventLog events;

	final JsonMapper json = JsonMapper.builder().build();

	@Test
	void configurationSubscriptionsAreListedWithoutTheirSecrets() throws Exception {
		var list = mvc.get().uri("/api/webhooks").exchange();

		assertThat(list).hasStatusOk().bodyJson().isLenientlyEqualTo("""
				{"count":2,"webhooks":[
				  {"name":"crm","source":"config","url":"%s","event_types":["call.ended"],"dns":[]},
				  {"name":"wallboard","source":"config","url":"https://127.0.0.1:9/events",
				   "dns":["5001","5002"]}]}""".formatted(RECEIVER.url()));
		assertThat(list.getResponse().getContentAsString()).doesNotContain(SECRET)
			.doesNotContain("wallboard-secret")
			.doesNotContain("\"secret\"");
	}

	@Test
	void configurationSubscriptionsCannotBeDeletedOrRotatedOverTheApi() throws Exception {
		String id = idOf("crm");

		for (var refused : new MvcTestResult[] {
				mvc.delete().uri("/api/webhooks/" + id).exchange(),
				mvc.post().uri("/api/webhooks/" + id + "/rotate-secret").exchange() }) {
			assertThat(refused).hasStatus(HttpStatus.CONFLICT)
				.bodyJson()
				.extractingPath("$.error")
				.asString()
				.startsWith("Webhook crm comes from configuration (signaling.webhooks.subscriptions) and cannot be");
		}
		assertThat(mvc.get().uri("/api/webhooks/" + id)).hasStatusOk();
	}

	@Test
	void configurationSubscriptionsAreDeliveredToWithTheConfiguredSecret() throws Exception {
		StoredEvent ended = events.append(EventTypes.CALL_ENDED, "call", "call-c1", Map.of("call_id", "call-c1"));

		await().until(() -> !RECEIVER.receivedFor(ended.event().id()).isEmpty());
		Request request = RECEIVER.receivedFor(ended.event().id()).get(0);
		assertThat(request.header("X-Signaling-Signature")).isEqualTo("v1="
				+ IndependentVerifiers.openssl(SECRET, request.header("X-Signaling-Timestamp"), request.body()));
		assertThat(Instant.ofEpochSecond(Long.parseLong(request.header("X-Signaling-Timestamp"))))
			.isEqualTo(WebhookApiTests.NOW);
	}

	private String idOf(String name) throws Exception {
		JsonNode webhooks = json.readTree(mvc.get().uri("/api/webhooks").exchange().getResponse().getContentAsString())
			.get("webhooks");
		for (JsonNode webhook : webhooks) {
			if (name.equals(webhook.get("name").asString())) {
				return webhook.get("id").asString();
			}
		}
		throw new AssertionError("no webhook " + name);
	}

}
