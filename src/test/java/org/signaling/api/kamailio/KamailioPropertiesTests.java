package org.signaling.api.kamailio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code signaling.kamailio.evapi-address}: optional, off when missing or empty, host:port when set. */
class KamailioPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class)
		.withPropertyValues("signaling.kamailio.sip-domain=127.0.0.1");

	@Test
	void pushIsOffWithoutAnAddress() {
		runner.run((context) -> {
			assertThat(context).hasNotFailed();
			KamailioProperties properties = context.getBean(KamailioProperties.class);
			assertThat(properties.evapiAddress()).isNull();
			assertThat(properties.locationTable()).isEqualTo("location");
		});
	}

	@Test
	void anEmptyAddressTurnsPushOff() {
		runner.withPropertyValues("signaling.kamailio.evapi-address=").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(KamailioProperties.class).evapiAddress()).isEmpty();
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1:8448", "kamailio.lab:8448", "[::1]:8448", "192.168.210.54:1" })
	void takesHostAndPort(String address) {
		runner.withPropertyValues("signaling.kamailio.evapi-address=" + address).run((context) -> {
			assertThat(context).hasNotFailed();
			KamailioProperties properties = context.getBean(KamailioProperties.class);
			assertThat(properties.evapiAddress()).isEqualTo(address);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1", "8448", ":8448", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:70000",
			"tcp://127.0.0.1:8448", "127.0.0.1:8448/x", "::1:8448", "127.0.0.1 :8448" })
	void refusesAnythingElse(String address) {
		runner.withPropertyValues("signaling.kamailio.evapi-address=" + address).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("evapi");
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000", "tcp://127.0.0.1:8448", "" })
	void refusesAnyElseAsOneOfAPairsAddresses(String address) {
		runner.withPropertyValues("signaling.kamailio.evapi-addresses[0]=127.0.0.1:8448",
				"signaling.kamailio.evapi-addresses[1]=" + address)
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void aPairsAddressesComeBeforeTheOneAddress() {
		runner.withPropertyValues("signaling.kamailio.evapi-address=127.0.0.1:8448",
				"signaling.kamailio.evapi-addresses=10.0.0.1:8448,10.0.0.2:8448")
			.run((context) -> assertThat(context.getBean(KamailioProperties.class).evapiEndpoints())
				.containsExactly("10.0.0.1:8448", "10.0.0.2:8448"));
		runner.withPropertyValues("signaling.kamailio.evapi-address=127.0.0.1:8448")
			.run((context) -> assertThat(context.getBean(KamailioProperties.class).evapiEndpoints())
				.containsExactly("127.0.0.1:8448"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(KamailioProperties.class)
	static class PropertiesConfiguration {

	}

}
