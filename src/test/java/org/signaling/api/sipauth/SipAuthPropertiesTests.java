package org.signaling.api.sipauth;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.signaling.api.testsupport.TestCredentials;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** Binding and validation of {@code signaling.sip-auth.*}, through Boot's binder and bean validation. */
class SipAuthPropertiesTests {

	static final String SECRET = TestCredentials.SIP_AUTH_SECRET;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class);

	@Test
	void withoutASecretNothingIsConfiguredAndTheLifetimeIsTwelveHours() {
		runner.run((context) -> {
			assertThat(context).hasNotFailed();
			SipAuthProperties properties = context.getBean(SipAuthProperties.class);
			assertThat(properties.isConfigured()).isFalse();
			assertThat(properties.ttl()).isEqualTo(Duration.ofHours(12));
			assertThat(properties.realm()).isNull();
		});
	}

	@Test
	void anEmptySecretIsAnUnsetEnvironmentVariableNotAWeakSecret() {
		// ${SIP_AUTH_SECRET:} binds an unset variable as ""
		runner.withPropertyValues("signaling.sip-auth.secret=").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(SipAuthProperties.class).isConfigured()).isFalse();
		});
	}

	@Test
	void bindsEveryPropertyByItsKebabCaseName() {
		runner
			.withPropertyValues("signaling.sip-auth.secret=" + SECRET, "signaling.sip-auth.ttl=8h",
					"signaling.sip-auth.realm=sip.example.com")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				SipAuthProperties properties = context.getBean(SipAuthProperties.class);
				assertThat(properties.isConfigured()).isTrue();
				assertThat(properties.secret()).isEqualTo(SECRET);
				assertThat(properties.ttl()).isEqualTo(Duration.ofHours(8));
				assertThat(properties.realm()).isEqualTo("sip.example.com");
			});
	}

	@Test
	void aSecretShorterThan32BytesFailsStartup() {
		runner.withPropertyValues("signaling.sip-auth.secret=" + SECRET.substring(1))
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("secret (SIP_AUTH_SECRET) must be at least 32 bytes"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "59s", "0s", "-1h", "604801s", "30d" })
	void aLifetimeOutsideOneMinuteToSevenDaysFailsStartup(String ttl) {
		runner.withPropertyValues("signaling.sip-auth.ttl=" + ttl)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("ttl must be from 1m to 7d"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "1m", "12h", "7d" })
	void lifetimesFromOneMinuteToSevenDaysAreAccepted(String ttl) {
		runner.withPropertyValues("signaling.sip-auth.ttl=" + ttl).run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void aRealmThatIsNotAHostFailsStartup() {
		runner.withPropertyValues("signaling.sip-auth.realm=sip.example.com;evil")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void toStringNeverShowsTheSecret() {
		SipAuthProperties properties = new SipAuthProperties(SECRET, Duration.ofHours(12), null);

		assertThat(properties.toString()).doesNotContain(SECRET).contains("secret=******").contains("ttl=PT12H");
		assertThat(new SipAuthProperties(null, Duration.ofHours(12), null).toString()).contains("secret=none");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(SipAuthProperties.class)
	static class PropertiesConfiguration {

	}

}
