package org.signaling.api.testsupport;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.signaling.api.SignalingApiApplication;
import org.signaling.api.testsupport.ami.AmiServerDouble;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One replica of the service in this JVM, as a deployment runs it: TLS, a real Kamailio, PostgreSQL, optionally an
 * Asterisk (the AMI double). Several started on one database are a cluster.
 */
public final class ServiceReplica {

	private ServiceReplica() {
	}

	public static ConfigurableApplicationContext start(TestTls tls, PostgresProcess postgres, KamailioProcess kamailio,
			@Nullable AmiServerDouble asterisk, Map<String, String> settings) {
		return start(tls, postgres, kamailio, (asterisk != null) ? List.of(asterisk) : List.of(), settings);
	}

	/** A replica with several Asterisk nodes ({@code pbx-1}, {@code pbx-2}, ...), or one, or none. */
	public static ConfigurableApplicationContext start(TestTls tls, PostgresProcess postgres, KamailioProcess kamailio,
			List<AmiServerDouble> asterisks, Map<String, String> settings) {
		Map<String, Object> properties = properties(tls, postgres, kamailio, asterisks, settings);
		// As arguments: above application-test.yml (its in-memory database), as a deployment's settings would be.
		String[] arguments = properties.entrySet()
			.stream()
			.map((property) -> "--" + property.getKey() + "=" + property.getValue())
			.toArray(String[]::new);
		return new SpringApplicationBuilder(SignalingApiApplication.class).profiles("test").run(arguments);
	}

	/** A replica's settings: the test profile's, with these backends and this database, and {@code settings}. */
	static Map<String, Object> properties(TestTls tls, PostgresProcess postgres, KamailioProcess kamailio,
			List<AmiServerDouble> asterisks, Map<String, String> settings) {
		Map<String, Object> properties = new HashMap<>();
		DynamicPropertyRegistry registry = (name, value) -> properties.put(name, value.get());
		LiveService.register(registry, tls, kamailio, "127.0.0.1:9");
		if (asterisks.size() == 1) {
			LiveService.registerAsterisk(registry, asterisks.get(0));
		}
		else if (asterisks.size() > 1) {
			LiveService.registerAsteriskNodes(registry, asterisks);
		}
		// Never ./config/application.yml (the production example), also when a bench runs this outside Maven.
		properties.put("spring.config.location", "optional:classpath:/");
		properties.put("server.port", "0");
		properties.put("spring.datasource.url", postgres.jdbcUrl());
		properties.put("spring.datasource.username", postgres.username());
		properties.put("spring.datasource.password", "");
		properties.putAll(settings);
		return properties;
	}

	/** An API client of this replica, with the test admin key. */
	public static ApiClient api(ConfigurableApplicationContext replica, TestTls tls) {
		int port = ((WebServerApplicationContext) replica).getWebServer().getPort();
		return new ApiClient("https://localhost:" + port, tls.clientContext());
	}

}
