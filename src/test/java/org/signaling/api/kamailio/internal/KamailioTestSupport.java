package org.signaling.api.kamailio.internal;

import java.net.URI;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.signaling.api.kamailio.KamailioProperties;
import org.signaling.api.shared.ChildSpans;
import org.springframework.web.client.RestClient;

/** Builds the adapter the way the application does, against a test URL. */
final class KamailioTestSupport {

	private KamailioTestSupport() {
	}

	static KamailioProperties properties(String rpcUrl) {
		return new KamailioProperties(URI.create(rpcUrl), "192.168.210.54", Duration.ofSeconds(1),
				Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofMillis(1000), "location");
	}

	static KamailioRpcClient client(KamailioProperties properties) {
		return client(properties, new SimpleMeterRegistry());
	}

	static KamailioRpcClient client(KamailioProperties properties, MeterRegistry meters) {
		return new KamailioConfiguration().kamailioRpcClient(RestClient.builder(), KamailioFixtures.JSON, properties,
				meters, ChildSpans.NONE);
	}

}
