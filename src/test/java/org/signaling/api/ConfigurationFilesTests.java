package org.signaling.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.signaling.api.asterisk.AsteriskProperties;
import org.signaling.api.dn.DnProperties;
import org.signaling.api.genesys.GenesysProperties;
import org.signaling.api.kamailio.KamailioProperties;
import org.signaling.api.security.ApiSecurityProperties;
import org.signaling.api.sipauth.SipAuthProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped configuration files bind and validate: config/application.yml (the production example) and
 * config/lab/application.yml (what scripts/run uses). Their property names are a public contract.
 */
class ConfigurationFilesTests {

	static final String SIP_AUTH_SECRET = "from-the-environment-at-least-32-bytes";

	@ParameterizedTest
	@ValueSource(strings = { "config/application.yml" })
	void bindsAndValidates(String file) throws IOException {
		Binder binder = binderFor(file);

		KamailioProperties kamailio = bind(binder, "signaling.kamailio", KamailioProperties.class);
		GenesysProperties genesys = bind(binder, "signaling.genesys", GenesysProperties.class);
		DnProperties dn = bind(binder, "signaling.dn", DnProperties.class);
		bind(binder, "signaling.asterisk", AsteriskProperties.class);
		bind(binder, "signaling.security", ApiSecurityProperties.class);

		assertThat(kamailio.rpcUrl().getPath()).isEqualTo("/RPC");
		assertThat(bind(binder, "signaling.sip-auth", SipAuthProperties.class).secret())
			.as("the secret Kamailio shares, from the environment").isEqualTo(SIP_AUTH_SECRET);
		assertThat(kamailio.sipDomain()).isNotBlank();
		assertThat(genesys.server()).contains(":");
		assertThat(dn.directory()).isNotEmpty();
	}

	@Test
	void labConfigurationBindsWithTheKeyScriptsRunCreates() throws IOException {
		// config/lab/application.yml has no credential of its own: scripts/run adds run/lab-api-key.yml.
		Binder binder = binderFor("config/lab/application.yml");

		assertThat(bind(binder, "signaling.kamailio", KamailioProperties.class).sipDomain()).isEqualTo("127.0.0.1");
		bind(binder, "signaling.genesys", GenesysProperties.class);
		bind(binder, "signaling.dn", DnProperties.class);
		bind(binder, "signaling.asterisk", AsteriskProperties.class);
		// scripts/run exports SIP_AUTH_SECRET (run/sip-auth.secret) for Kamailio and the service alike
		assertThat(bind(binder, "signaling.sip-auth", SipAuthProperties.class).secret()).isEqualTo(SIP_AUTH_SECRET);
	}

	@ParameterizedTest
	@ValueSource(strings = { "config/application.yml" })
	void productionExampleUsesTheSeedsAddresses(String file) throws IOException {
		Binder binder = binderFor(file);

		assertThat(bind(binder, "signaling.kamailio", KamailioProperties.class).sipDomain())
			.isEqualTo("192.168.210.54");
		assertThat(bind(binder, "signaling.genesys", GenesysProperties.class).server())
			.isEqualTo("192.168.210.81:5060");
		assertThat(binder.bind("server.port", Integer.class).get()).isEqualTo(8443);
	}

	private static Binder binderFor(String file) throws IOException {
		Path path = Path.of(System.getProperty("project.basedir", ".")).resolve(file);
		List<PropertySource<?>> sources = new YamlPropertySourceLoader().load(file, new FileSystemResource(path));
		StandardEnvironment environment = new StandardEnvironment();
		// The production example leaves secrets to the environment; supply them as a deployment would.
		environment.getPropertySources()
			.addFirst(new MapPropertySource("secrets",
					Map.of("signaling.asterisk.password", "from-the-environment", "SIP_AUTH_SECRET", SIP_AUTH_SECRET)));
		sources.forEach(environment.getPropertySources()::addLast);
		return Binder.get(environment);
	}

	private static <T> T bind(Binder binder, String prefix, Class<T> type) {
		LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean();
		validator.afterPropertiesSet();
		return binder.bindOrCreate(prefix, Bindable.of(type),
				new ValidationBindHandler(validator));
	}

}
