package org.signaling.api.testsupport;

import org.springframework.test.context.DynamicPropertyRegistry;

/** Properties that point the service under test at its TLS keystore and a real Kamailio, as in production. */
public final class LiveService {

	private LiveService() {
	}

	/**
	 * HTTPS with the test keystore; the live view of this Kamailio refreshed every 200 ms and refused after 2 s;
	 * Genesys at {@code genesysServer}.
	 */
	public static void register(DynamicPropertyRegistry registry, TestTls tls, KamailioProcess kamailio,
			String genesysServer) {
		registry.add("server.ssl.key-store", tls::keystoreLocation);
		registry.add("server.ssl.key-store-password", () -> TestTls.PASSWORD);
		registry.add("signaling.kamailio.rpc-url", kamailio::rpcUrl);
		registry.add("signaling.kamailio.sip-domain", () -> "127.0.0.1");
		registry.add("signaling.kamailio.refresh-interval", () -> "200ms");
		registry.add("signaling.kamailio.max-staleness", () -> "2s");
		registry.add("signaling.genesys.server", () -> genesysServer);
	}

}
