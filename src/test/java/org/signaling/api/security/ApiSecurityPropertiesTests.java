package org.signaling.api.security;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** The service never starts open, nor with a credential configuration that could not work as written. */
class ApiSecurityPropertiesTests {

	static final String HASH = "sha256:" + "ab".repeat(32);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(Enable.class);

	@Test
	void refusesToStartWithoutAnyCredentialAndSaysHowToCreateOne() {
		runner.run((context) -> assertThat(context).getFailure()
			.rootCause()
			.hasMessageContaining("no credential is configured")
			.hasMessageContaining("scripts/new-api-key"));
	}

	@Test
	void startsWithAKeyOrWithAJwtIssuer() {
		runner.withPropertyValues("signaling.security.api-keys[0].name=wwe",
				"signaling.security.api-keys[0].hash=" + HASH,
				"signaling.security.api-keys[0].scopes=read,calls")
			.run((context) -> assertThat(context).hasNotFailed());
		runner.withPropertyValues("signaling.security.jwt.jwk-set-uri=https://idp.example.com/jwks")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void refusesKeysThatAreNotHashesOrHaveUnknownScopes() {
		runner.withPropertyValues("signaling.security.api-keys[0].name=wwe",
				"signaling.security.api-keys[0].hash=sk_plain-text-key", "signaling.security.api-keys[0].scopes=read")
			.run((context) -> assertThat(context).hasFailed());
		runner.withPropertyValues("signaling.security.api-keys[0].name=wwe",
				"signaling.security.api-keys[0].hash=" + HASH,
				"signaling.security.api-keys[0].scopes=root")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void refusesAShortSharedSecretAndTwoKeySources() {
		runner.withPropertyValues("signaling.security.jwt.hs256-secret=too-short")
			.run((context) -> assertThat(context).hasFailed());
		runner.withPropertyValues("signaling.security.jwt.hs256-secret=" + "s".repeat(40),
				"signaling.security.jwt.jwk-set-uri=https://idp.example.com/jwks")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void refusesAWildcardOrigin() {
		runner.withPropertyValues("signaling.security.jwt.jwk-set-uri=https://idp.example.com/jwks",
				"signaling.security.cors.allowed-origins=*")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void neverShowsTheSharedSecret() {
		ApiSecurityProperties.Jwt jwt = new ApiSecurityProperties.Jwt(null, "s".repeat(40), null, null, "dn");

		assertThat(jwt.toString()).doesNotContain("ssss");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ApiSecurityProperties.class)
	static class Enable {

	}

}
