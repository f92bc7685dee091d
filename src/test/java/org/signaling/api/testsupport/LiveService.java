package org.signaling.api.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import org.signaling.api.testsupport.ami.AmiServerDouble;
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
		// the secret the tests' Kamailio checks agents' SIP credentials with
		registry.add("signaling.sip-auth.secret", () -> TestCredentials.SIP_AUTH_SECRET);
	}

	/** The AMI user and secret of {@link #startAsterisk()}'s double. */
	public static final String AMI_USER = "signaling-api";

	static final String AMI_SECRET = "ami-test-secret";

	/** An AMI server double standing in for Asterisk, with the user the service logs in as. */
	public static AmiServerDouble startAsterisk() {
		try {
			return AmiServerDouble.start(AMI_USER, AMI_SECRET);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The service's Asterisk nodes ({@code signaling.asterisk.nodes}) are these doubles, named {@code pbx-1},
	 * {@code pbx-2}, ... in this order, reconnecting quickly.
	 */
	public static void registerAsteriskNodes(DynamicPropertyRegistry registry, List<AmiServerDouble> nodes) {
		for (int i = 0; i < nodes.size(); i++) {
			AmiServerDouble node = nodes.get(i);
			String name = "pbx-" + (i + 1);
			registry.add("signaling.asterisk.nodes[" + i + "].name", () -> name);
			registry.add("signaling.asterisk.nodes[" + i + "].host", node::host);
			registry.add("signaling.asterisk.nodes[" + i + "].port", node::port);
		}
		registry.add("signaling.asterisk.username", () -> AMI_USER);
		registry.add("signaling.asterisk.password", () -> AMI_SECRET);
		registry.add("signaling.asterisk.reconnect-initial-backoff", () -> "100ms");
		registry.add("signaling.asterisk.reconnect-max-backoff", () -> "500ms");
	}

	/** The service's Asterisk is this double, reconnecting quickly (100 ms, at most 500 ms apart) when it goes. */
	public static void registerAsterisk(DynamicPropertyRegistry registry, AmiServerDouble asterisk) {
		registry.add("signaling.asterisk.host", asterisk::host);
		registry.add("signaling.asterisk.port", asterisk::port);
		registry.add("signaling.asterisk.username", () -> AMI_USER);
		registry.add("signaling.asterisk.password", () -> AMI_SECRET);
		registry.add("signaling.asterisk.reconnect-initial-backoff", () -> "100ms");
		registry.add("signaling.asterisk.reconnect-max-backoff", () -> "500ms");
	}

}
