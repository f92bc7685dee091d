package org.signaling.api.webhooks;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** Binding and validation of {@code signaling.webhooks.*}, through Boot's binder and bean validation. */
class WebhookPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class);

	@Test
	void defaultsAreTheDocumentedOnes() {
		runner.run((context) -> {
			assertThat(context).hasNotFailed();
			WebhookProperties properties = context.getBean(WebhookProperties.class);
			assertThat(properties.allowInsecureUrls()).isFalse();
			assertThat(properties.allowedNetworks()).isEmpty();
			assertThat(properties.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
			assertThat(properties.responseTimeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(properties.retryPeriod()).isEqualTo(Duration.ofHours(24));
			assertThat(properties.backoffInitial()).isEqualTo(Duration.ofSeconds(1));
			assertThat(properties.backoffMultiplier()).isEqualTo(2.0);
			assertThat(properties.backoffMax()).isEqualTo(Duration.ofMinutes(5));
			assertThat(properties.secretOverlap()).isEqualTo(Duration.ofHours(24));
			assertThat(properties.deliveryRetention()).isEqualTo(Duration.ofDays(7));
			assertThat(properties.pollInterval()).isEqualTo(Duration.ofSeconds(1));
			assertThat(properties.maxConcurrency()).isEqualTo(16);
			assertThat(properties.maxInFlightPerSubscription()).isEqualTo(4);
			assertThat(properties.maxSubscriptions()).isEqualTo(100);
			assertThat(properties.subscriptions()).isEmpty();
		});
	}

	@Test
	void bindsAConfigurationSubscriptionAndMasksItsSecret() {
		runner.withPropertyValues("signaling.webhooks.subscriptions[0].name=crm",
				"signaling.webhooks.subscriptions[0].url=https://crm.example.com/hooks?token=abc",
				"signaling.webhooks.subscriptions[0].event-types=call.ended,call.answered",
				"signaling.webhooks.subscriptions[0].dns=5001,5002",
				"signaling.webhooks.subscriptions[0].secret=crm-secret-0123456789")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				WebhookProperties properties = context.getBean(WebhookProperties.class);
				assertThat(properties.subscriptions()).singleElement().satisfies((subscription) -> {
					assertThat(subscription.eventTypes()).containsExactly("call.ended", "call.answered");
					assertThat(subscription.dns()).containsExactly("5001", "5002");
					assertThat(subscription.secret()).isEqualTo("crm-secret-0123456789");
				});
				assertThat(properties.toString()).doesNotContain("crm-secret").doesNotContain("token=abc")
					.contains("******");
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "signaling.webhooks.subscriptions[0].url=http://crm.example.com/hooks",
			"signaling.webhooks.subscriptions[0].url=https://user:pw@crm.example.com/hooks",
			"signaling.webhooks.subscriptions[0].secret=short", "signaling.webhooks.subscriptions[0].name=a b",
			"signaling.webhooks.subscriptions[0].event-types=call.exploded",
			"signaling.webhooks.subscriptions[0].dns=50 01", "signaling.webhooks.subscriptions[1].name=crm",
			"signaling.webhooks.response-timeout=0s", "signaling.webhooks.backoff-max=100ms",
			"signaling.webhooks.max-concurrency=0", "signaling.webhooks.backoff-multiplier=0.5" })
	void refusesToStartWithAnInvalidSetting(String invalid) {
		runner.withPropertyValues("signaling.webhooks.subscriptions[0].name=crm",
				"signaling.webhooks.subscriptions[0].url=https://crm.example.com/hooks",
				"signaling.webhooks.subscriptions[0].secret=crm-secret-0123456789",
				"signaling.webhooks.subscriptions[1].url=https://other.example.com/hooks",
				"signaling.webhooks.subscriptions[1].name=other",
				"signaling.webhooks.subscriptions[1].secret=other-secret-0123456789", invalid)
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void bindsAllowedNetworksOfBothFamilies() {
		runner.withPropertyValues(
				"signaling.webhooks.allowed-networks=127.0.0.0/8, 10.20.0.0/16,fd00:20::/32,192.168.1.7")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(WebhookProperties.class).allowedNetworks()).containsExactly("127.0.0.0/8",
						"10.20.0.0/16", "fd00:20::/32", "192.168.1.7");
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "10.0.0.0/33", "lab", "10.0.0/8", "fd00::/200", "10.0.0.0/8,intranet.example.com" })
	void refusesToStartWithAnAllowedNetworkThatIsNotACidr(String networks) {
		runner.withPropertyValues("signaling.webhooks.allowed-networks=" + networks)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("signaling.webhooks.allowed-networks must be IP addresses or CIDR blocks"));
	}

	@Test
	void httpTargetsAreAcceptedWhenInsecureUrlsAreAllowed() {
		runner.withPropertyValues("signaling.webhooks.allow-insecure-urls=true",
				"signaling.webhooks.subscriptions[0].name=lab",
				"signaling.webhooks.subscriptions[0].url=http://127.0.0.1:9000/hooks",
				"signaling.webhooks.subscriptions[0].secret=lab-secret-0123456789")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void theRulesDescribeAProblemWithoutRepeatingTheUrl() {
		assertThat(WebhookRules.urlProblem("https://crm.example.com/h?token=abc", false)).isEmpty();
		assertThat(WebhookRules.urlProblem("http://crm.example.com/h?token=abc", false))
			.contains("Invalid url: https is required");
		assertThat(WebhookRules.urlProblem("http://crm.example.com/h?token=abc", true)).isEmpty();
		assertThat(WebhookRules.urlProblem("https:///nohost", true)).contains("Invalid url: no host");
		assertThat(WebhookRules.redacted("https://crm.example.com:8443/h?token=abc"))
			.isEqualTo("https://crm.example.com:8443/h?...");
		assertThat(List.of(WebhookRules.unknownEventType("call.exploded"), WebhookRules.unknownEventType("x\ny")))
			.containsExactly("Unknown event type: call.exploded", "Invalid event_types: unknown event type");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(WebhookProperties.class)
	static class PropertiesConfiguration {

	}

}
