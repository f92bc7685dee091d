package org.signaling.api.call;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code signaling.calls.originator}: Asterisk by default, Kamailio on request, nothing else;
 * {@code signaling.calls.history-retention}: 90 days by default, positive.
 */
class CallsPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class);

	@Test
	void asteriskPlacesCallsByDefault() {
		runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(CallsProperties.class).originator()).isEqualTo("asterisk");
		});
	}

	@Test
	void kamailioCanPlaceThem() {
		runner.withPropertyValues("signaling.calls.originator=kamailio").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(CallsProperties.class).originator()).isEqualTo("kamailio");
		});
	}

	@Test
	void anyOtherOriginatorFailsStartupWithAClearMessage() {
		runner.withPropertyValues("signaling.calls.originator=freeswitch").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("signaling.calls.originator")
				.hasMessageContaining("must be asterisk or kamailio");
		});
	}

	@Test
	void endedCallsAreKeptNinetyDaysByDefault() {
		runner.run((context) -> assertThat(context.getBean(CallsProperties.class).historyRetention())
			.isEqualTo(Duration.ofDays(90)));
		runner.withPropertyValues("signaling.calls.history-retention=400d")
			.run((context) -> assertThat(context.getBean(CallsProperties.class).historyRetention())
				.isEqualTo(Duration.ofDays(400)));
	}

	@Test
	void aHistoryRetentionThatIsNotPositiveFailsStartup() {
		for (String retention : new String[] { "0s", "-1d" }) {
			runner.withPropertyValues("signaling.calls.history-retention=" + retention).run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("history-retention must be positive");
			});
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(CallsProperties.class)
	static class PropertiesConfiguration {

	}

}
