package org.signaling.api.kamailio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real Kamailio 5.6.3 JSON-RPC response bodies, recorded in the lab (src/test/resources/kamailio). */
final class KamailioFixtures {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private KamailioFixtures() {
	}

	/** The whole HTTP body, as Kamailio sent it. */
	static String body(String name) {
		try (InputStream in = KamailioFixtures.class.getResourceAsStream("/kamailio/" + name)) {
			if (in == null) {
				throw new IllegalArgumentException("No fixture " + name);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The {@code result} member of a recorded response. */
	static JsonNode result(String name) {
		return JSON.readTree(body(name)).get("result");
	}

}
