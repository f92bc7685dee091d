package org.signaling.client;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookSignaturesTests {

	static final byte[] BODY = "{\"id\":\"evt-1\",\"type\":\"call.ended\"}".getBytes(StandardCharsets.UTF_8);

	static final String TS = "1764151267";

	static final Clock NOW = Clock.fixed(Instant.ofEpochSecond(Long.parseLong(TS)), ZoneOffset.UTC);

	static final Duration TOLERANCE = WebhookSignatures.DEFAULT_TOLERANCE;

	@Test
	void matchesAnIndependentlyComputedHmac() {
		// printf '1764151267.{"id":"evt-1","type":"call.ended"}' | openssl dgst -sha256 -hmac whsec_test
		String signature = WebhookSignatures.sign("whsec_test", TS, BODY);
		assertEquals("v1=0e9e8c0f4dfb08af6cd10340876e12a580d0483f35037ca3d11590cf218c47a5", signature);
		assertTrue(WebhookSignatures.verify(List.of("whsec_test"), BODY, TS, signature, TOLERANCE, NOW));
		assertTrue(WebhookSignatures.verify(List.of("whsec_test"), BODY, TS, signature.toUpperCase().replace("V1=", "v1="),
				TOLERANCE, NOW));
	}

	@Test
	void acceptsEitherOfTwoValuesDuringRotationAndEitherSecret() {
		String rotation = WebhookSignatures.sign("whsec_new", TS, BODY) + ", " + WebhookSignatures.sign("whsec_old", TS, BODY);
		assertTrue(WebhookSignatures.verify(List.of("whsec_old"), BODY, TS, rotation, TOLERANCE, NOW));
		assertTrue(WebhookSignatures.verify(List.of("whsec_new"), BODY, TS, rotation, TOLERANCE, NOW));
		assertTrue(WebhookSignatures.verify(List.of("whsec_x", "whsec_old"), BODY, TS,
				WebhookSignatures.sign("whsec_old", TS, BODY), TOLERANCE, NOW));
		assertFalse(WebhookSignatures.verify(List.of("whsec_x"), BODY, TS, rotation, TOLERANCE, NOW));
	}

	@Test
	void rejectsTamperingReplaysAndMalformedHeaders() {
		String signature = WebhookSignatures.sign("whsec_test", TS, BODY);
		byte[] changed = Arrays.copyOf(BODY, BODY.length + 1);
		changed[BODY.length] = ' ';
		assertFalse(WebhookSignatures.verify(List.of("whsec_test"), changed, TS, signature, TOLERANCE, NOW));
		assertFalse(WebhookSignatures.verify(List.of("whsec_test"), BODY, TS, signature, TOLERANCE,
				Clock.offset(NOW, Duration.ofSeconds(301))));
		assertFalse(WebhookSignatures.verify(List.of("whsec_test"), BODY, TS, signature, TOLERANCE,
				Clock.offset(NOW, Duration.ofSeconds(-301))));
		assertTrue(WebhookSignatures.verify(List.of("whsec_test"), BODY, TS, signature, TOLERANCE,
				Clock.offset(NOW, Duration.ofSeconds(300))));
		String otherTs = String.valueOf(Long.parseLong(TS) + 1);
		assertFalse(WebhookSignatures.verify(List.of("whsec_test"), BODY, otherTs, signature, TOLERANCE, NOW));
		for (String bad : new String[] { null, "", "v1=", "v0=" + signature.substring(3), signature.substring(3),
				"v1=zz", signature.substring(0, 60) }) {
			assertFalse(WebhookSignatures.verify(List.of("whsec_test"), BODY, TS, bad, TOLERANCE, NOW), bad);
		}
		for (String bad : new String[] { null, "", "abc", "1.5", "-1" }) {
			assertFalse(WebhookSignatures.verify(List.of("whsec_test"), BODY, bad, signature, TOLERANCE, NOW), bad);
		}
		assertThrows(IllegalArgumentException.class,
				() -> WebhookSignatures.verify(List.of(), BODY, TS, signature, TOLERANCE, NOW));
	}

}
