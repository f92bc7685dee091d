package org.signaling.api.bench;

import java.time.Duration;

import org.signaling.api.SignalingApiApplication;
import org.signaling.api.testsupport.ApiClient;
import org.signaling.api.testsupport.KamailioProcess;
import org.signaling.api.testsupport.TestTls;
import org.signaling.api.testsupport.ami.AmiServerDouble;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * The service in-process for the call benchmarks: the test profile (its admin key, rate limits out of the way), TLS on
 * a free port, this Kamailio, and this AMI double as Asterisk (user signaling-api, secret {@link #AMI_SECRET}).
 */
final class ServiceWithAsterisk {

	static final String AMI_USER = "signaling-api";

	static final String AMI_SECRET = "bench-secret";

	private ServiceWithAsterisk() {
	}

	static ConfigurableApplicationContext start(KamailioProcess kamailio, AmiServerDouble asterisk, TestTls tls) {
		return SpringApplication.run(SignalingApiApplication.class, "--spring.config.location=optional:classpath:/",
				"--spring.profiles.active=test", "--server.port=0", "--server.ssl.key-store=" + tls.keystoreLocation(),
				"--server.ssl.key-store-password=" + TestTls.PASSWORD,
				"--signaling.kamailio.rpc-url=" + kamailio.rpcUrl(),
				"--signaling.kamailio.sip-domain=127.0.0.1", "--signaling.genesys.server=127.0.0.1:9",
				"--signaling.asterisk.host=" + asterisk.host(), "--signaling.asterisk.port=" + asterisk.port(),
				"--signaling.asterisk.username=" + AMI_USER, "--signaling.asterisk.password=" + AMI_SECRET,
				"--logging.level.root=warn", "--logging.structured.format.console=");
	}

	/** A client of the started service, once agent 5001 is registered and Asterisk is up. */
	static ApiClient client(ConfigurableApplicationContext app, TestTls tls) {
		ApiClient api = new ApiClient("https://localhost:" + app.getEnvironment().getProperty("local.server.port"),
				tls.clientContext());
		await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/dn/5001").status() == 200
				&& "up".equals(api.componentStatus("asterisk")));
		return api;
	}

}
