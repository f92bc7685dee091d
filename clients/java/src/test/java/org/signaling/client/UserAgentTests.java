package org.signaling.client;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every request says which client sent it: {@code User-Agent: signaling-api-client/<the build's version>}. */
class UserAgentTests {

	@Test
	void versionComesFromTheBuild() {
		assertTrue(ClientVersion.VERSION.matches("\\d+\\.\\d+\\.\\d+[\\w.+-]*"), ClientVersion.VERSION);
	}

	@Test
	void readsAndWritesSendTheClientsUserAgent() throws IOException {
		List<String> userAgents = new CopyOnWriteArrayList<>();
		try (LoopbackServer server = new LoopbackServer((request, n, out) -> {
			userAgents.add(request.header("User-Agent"));
			String body = request.target().equals("/api/call/hangup")
					? "{\"status\":\"terminated\",\"call_id\":\"c-1\"}"
					: "{\"status\":\"ok\",\"service\":\"s\",\"version\":\"1.0\",\"timestamp\":\"1\",\"uptime\":1,\"components\":{}}";
			LoopbackServer.respond(out, 200, body);
		})) {
			SignalingClient api = SignalingClient.builder(server.uri())
				.apiKey("sk_test")
				.timeout(Duration.ofSeconds(5))
				.build();
			api.health();
			api.hangup("c-1");
		}
		assertEquals(List.of("signaling-api-client/" + ClientVersion.VERSION,
				"signaling-api-client/" + ClientVersion.VERSION), userAgents);
	}

}
