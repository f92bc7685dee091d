package org.signaling.api.webhooks.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.signaling.api.events.Event;
import org.signaling.api.events.EventTypes;
import org.signaling.api.webhooks.IndependentVerifiers;
import org.signaling.client.WebhookSignatures;

import static org.assertj.core.api.Assertions.assertThat;

/** The pieces without I/O: backoff, DN filter, signature. */
class WebhookUnitTests {

	static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

	@Test
	void backoffDoublesUpToItsMaximumAndNeverPassesTheRetryPeriod() {
		Backoff backoff = new Backoff(WebhookEngine.properties(), () -> 1.0);

		assertThat(List.of(1, 2, 3, 9, 10, 50).stream().map(backoff::ceiling)).containsExactly(Duration.ofSeconds(1),
				Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(256), Duration.ofMinutes(5),
				Duration.ofMinutes(5));
		assertThat(backoff.nextAttempt(3, NOW, NOW.plusSeconds(10))).isEqualTo(NOW.plusSeconds(14));
		Instant deadline = NOW.plus(Duration.ofHours(24));
		assertThat(backoff.nextAttempt(200, NOW, deadline.minusSeconds(30))).isEqualTo(deadline);
		assertThat(backoff.nextAttempt(200, NOW, deadline)).isNull();
	}

	@Test
	void fullJitterDrawsBelowTheCeilingButNotBelowTheFloor() {
		assertThat(new Backoff(WebhookEngine.properties(), () -> 0.5).nextAttempt(3, NOW, NOW))
			.isEqualTo(NOW.plusSeconds(2));
		assertThat(new Backoff(WebhookEngine.properties(), () -> 0.0).nextAttempt(1, NOW, NOW))
			.isEqualTo(NOW.plusMillis(100));
	}

	@Test
	void theDnFilterLooksAtTheSubjectAndTheDnMembersOfTheData() {
		Subscription filtered = subscription(Set.of("5001"));

		assertThat(filtered.matches(event(EventTypes.DN_BUSY, "dn", "5001", Map.of()))).isTrue();
		assertThat(filtered.matches(event(EventTypes.DN_BUSY, "dn", "5002", Map.of("dn", "5002")))).isFalse();
		assertThat(filtered.matches(event(EventTypes.CALL_ENDED, "call", "c1", Map.of("from_dn", "5001")))).isTrue();
		assertThat(filtered.matches(event(EventTypes.CALL_ENDED, "call", "c1", Map.of("to_dn", "5001")))).isTrue();
		assertThat(filtered.matches(event(EventTypes.CALL_ENDED, "call", "c1", Map.of("dns", List.of("1003", "5001")))))
			.isTrue();
		assertThat(filtered.matches(event(EventTypes.CALL_ENDED, "call", "c1", Map.of("from", "5001")))).isFalse();
		assertThat(filtered.matches(event(EventTypes.GENESYS_DOWN, "genesys", "10.0.0.1:5060", Map.of()))).isFalse();
		assertThat(subscription(Set.of()).matches(event(EventTypes.GENESYS_DOWN, "genesys", "g", Map.of()))).isTrue();
	}

	@Test
	void signaturesMatchOpensslAndCarryBothSecretsDuringARotation() {
		byte[] body = "{\"id\":\"evt-1\",\"data\":{\"name\":\"Zoë\"}}".getBytes(StandardCharsets.UTF_8);
		String header = WebhookSigner.header(List.of("new-secret-0123456789", "old-secret-0123456789"), 1795687200L,
				body);

		String text = new String(body, StandardCharsets.UTF_8);
		assertThat(header).isEqualTo("v1=" + IndependentVerifiers.openssl("new-secret-0123456789", "1795687200", text)
				+ ",v1=" + IndependentVerifiers.openssl("old-secret-0123456789", "1795687200", text));
		assertThat(WebhookSigner.newSecret()).matches("whsec_[A-Za-z0-9+/]{43}=")
			.isNotEqualTo(WebhookSigner.newSecret());
	}

	@Test
	void theStandardSignatureIsTheSpecificationsExampleAndCarriesBothSecretsDuringARotation() {
		byte[] body = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
		String specification = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

		assertThat(WebhookSigner.standardHeader(List.of(specification), "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
				body)).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
		assertThat(WebhookSigner.standardHeader(List.of(specification, "whsec_" + "A".repeat(43) + "="),
				"msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, body))
			.startsWith("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1,")
			.matches("(v1,[A-Za-z0-9+/]{43}=)( v1,[A-Za-z0-9+/]{43}=)");
	}

	@Test
	void theServiceAndTheJavaClientReadEverySecretTheSameWay() {
		byte[] body = "{\"id\":\"evt-1\"}".getBytes(StandardCharsets.UTF_8);
		for (String secret : List.of(WebhookSigner.newSecret(), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
				"whsec_-_-_ABEiM0RVZneImaq7zN3u__vv_wECAwQFBgcICQo", "whsec_QUI=", "whsec_QUI", "whsec_QUJDRA==",
				"my-hand-picked-secret-123", "whsec_my hand-picked secret", "whsec_", "whsec_==", "whsec_ab+c-d__",
				"whsec_QUJD=", "whsec_QUI==", "whsec_QUJDR", "WHSEC_QUJD")) {
			assertThat(WebhookSigner.standardHeader(List.of(secret), "evt-1", 1795687200L, body)).as(secret)
				.isEqualTo(WebhookSignatures.signStandard(secret, "evt-1", "1795687200", body));
		}
	}

	@Test
	void theStandardKeyIsTheSecretsBase64OrItsOwnBytes() {
		byte[] bytes = new byte[32];
		Arrays.fill(bytes, (byte) 0xfb);
		String standard = "whsec_" + Base64.getEncoder().encodeToString(bytes);
		String older = "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

		assertThat(WebhookSigner.standardKey(standard)).isEqualTo(bytes);
		assertThat(WebhookSigner.standardKey(older)).as("secrets generated before, base64url").isEqualTo(bytes);
		assertThat(WebhookSigner.standardKey("my-own-secret-0123456789"))
			.isEqualTo("my-own-secret-0123456789".getBytes(StandardCharsets.UTF_8));
		assertThat(WebhookSigner.standardKey("whsec_short")).as("too short to be a key: the text itself")
			.isEqualTo("whsec_short".getBytes(StandardCharsets.UTF_8));
	}

	private static Subscription subscription(Set<String> dns) {
		return new Subscription("wh-1", null, Subscription.API, "https://example.invalid", Set.copyOf(EventTypes.ALL),
				dns, "secret-0123456789abc", null, null, 0, NOW, NOW);
	}

	private static Event event(String type, String subjectType, String subject, Map<String, Object> data) {
		return new Event("evt-1", type, NOW, subjectType, subject, 1, data);
	}

}
