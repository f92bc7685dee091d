package org.signaling.api.asterisk;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** Binding and validation of {@code signaling.asterisk.*}, through Boot's binder and bean validation. */
class AsteriskPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class);

	@Test
	void noHostMeansNotConfiguredWithSafeDefaults() {
		runner.run(context -> {
			assertThat(context).hasNotFailed();
			AsteriskProperties properties = context.getBean(AsteriskProperties.class);
			assertThat(properties.isConfigured()).isFalse();
			assertThat(properties.host()).isNull();
			assertThat(properties.port()).isEqualTo(5038);
			assertThat(properties.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(properties.responseTimeout()).isEqualTo(Duration.ofSeconds(2));
			assertThat(properties.pingInterval()).isEqualTo(Duration.ofSeconds(20));
			assertThat(properties.reconnectInitialBackoff()).isEqualTo(Duration.ofSeconds(1));
			assertThat(properties.reconnectMaxBackoff()).isEqualTo(Duration.ofSeconds(30));
			assertThat(properties.agentChannel()).isEqualTo("PJSIP/{dn}@kamailio");
			assertThat(properties.originateContext()).isEqualTo("click-to-dial");
			assertThat(properties.originatePriority()).isEqualTo(1);
		});
	}

	@Test
	void blankHostIsNotConfiguredAndNeedsNoCredentials() {
		runner.withPropertyValues("signaling.asterisk.host= ").run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(AsteriskProperties.class).isConfigured()).isFalse();
		});
	}

	@Test
	void hostWithoutCredentialsFailsStartupWithAClearMessage() {
		runner.withPropertyValues("signaling.asterisk.host=10.0.0.5").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("signaling.asterisk.username and signaling.asterisk.password are required "
						+ "when signaling.asterisk.host is set");
		});
	}

	@Test
	void hostWithUsernameButNoPasswordFailsStartup() {
		runner.withPropertyValues("signaling.asterisk.host=10.0.0.5", "signaling.asterisk.username=signaling-api")
			.run(context -> assertThat(context).hasFailed());
	}

	@Test
	void bindsEveryPropertyByItsKebabCaseName() {
		runner
			.withPropertyValues("signaling.asterisk.host=10.0.0.5", "signaling.asterisk.port=5039",
					"signaling.asterisk.username=signaling-api", "signaling.asterisk.password=pw",
					"signaling.asterisk.connect-timeout=3s", "signaling.asterisk.response-timeout=1500ms",
					"signaling.asterisk.ping-interval=10s", "signaling.asterisk.reconnect-initial-backoff=500ms",
					"signaling.asterisk.reconnect-max-backoff=1m",
					"signaling.asterisk.agent-channel=PJSIP/kamailio/sip:{dn}@10.0.0.7:5060",
					"signaling.asterisk.originate-context=c2d-outbound", "signaling.asterisk.originate-priority=2",
					"signaling.asterisk.default-ring-timeout=20s", "signaling.asterisk.max-ring-timeout=45s")
			.run(context -> {
				assertThat(context).hasNotFailed();
				AsteriskProperties properties = context.getBean(AsteriskProperties.class);
				assertThat(properties.isConfigured()).isTrue();
				assertThat(properties.server()).isEqualTo("10.0.0.5:5039");
				assertThat(properties.username()).isEqualTo("signaling-api");
				assertThat(properties.password()).isEqualTo("pw");
				assertThat(properties.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(properties.responseTimeout()).isEqualTo(Duration.ofMillis(1500));
				assertThat(properties.pingInterval()).isEqualTo(Duration.ofSeconds(10));
				assertThat(properties.reconnectInitialBackoff()).isEqualTo(Duration.ofMillis(500));
				assertThat(properties.reconnectMaxBackoff()).isEqualTo(Duration.ofMinutes(1));
				assertThat(properties.agentChannel()).isEqualTo("PJSIP/kamailio/sip:{dn}@10.0.0.7:5060");
				assertThat(properties.agentChannelFor("5001")).isEqualTo("PJSIP/kamailio/sip:5001@10.0.0.7:5060");
				assertThat(properties.originateContext()).isEqualTo("c2d-outbound");
				assertThat(properties.originatePriority()).isEqualTo(2);
			});
	}

	@Test
	void bindsSeveralNodesEachWithTheSharedSettingsAndItsOwnOrTheSharedCredentials() {
		runner
			.withPropertyValues("signaling.asterisk.username=signaling-api", "signaling.asterisk.password=shared-pw",
					"signaling.asterisk.response-timeout=1500ms", "signaling.asterisk.nodes[0].host=10.0.0.5",
					"signaling.asterisk.nodes[1].name=pbx-west", "signaling.asterisk.nodes[1].host=10.0.1.5",
					"signaling.asterisk.nodes[1].port=5039", "signaling.asterisk.nodes[1].username=west-user",
					"signaling.asterisk.nodes[1].password=west-pw")
			.run(context -> {
				assertThat(context).hasNotFailed();
				AsteriskProperties properties = context.getBean(AsteriskProperties.class);
				assertThat(properties.isConfigured()).isTrue();
				Map<String, AsteriskProperties> nodes = properties.nodeSettings();
				assertThat(nodes).containsOnlyKeys("10.0.0.5:5038", "pbx-west");
				AsteriskProperties east = nodes.get("10.0.0.5:5038");
				assertThat(east.server()).isEqualTo("10.0.0.5:5038");
				assertThat(east.username()).isEqualTo("signaling-api");
				assertThat(east.password()).isEqualTo("shared-pw");
				assertThat(east.responseTimeout()).isEqualTo(Duration.ofMillis(1500));
				AsteriskProperties west = nodes.get("pbx-west");
				assertThat(west.server()).isEqualTo("10.0.1.5:5039");
				assertThat(west.username()).isEqualTo("west-user");
				assertThat(west.password()).isEqualTo("west-pw");
				assertThat(properties.toString()).doesNotContain("shared-pw").doesNotContain("west-pw");
			});
	}

	@Test
	void theSingleHostIsOneNodeNamedByItsAddress() {
		assertThat(properties("PJSIP/{dn}@kamailio").nodeSettings()).containsOnlyKeys("10.0.0.5:5038");
		runner.run(context -> assertThat(context.getBean(AsteriskProperties.class).nodeSettings()).isEmpty());
	}

	@ParameterizedTest
	@ValueSource(strings = { "signaling.asterisk.host=10.0.0.9", "signaling.asterisk.nodes[1].host=",
			"signaling.asterisk.nodes[1].name=east", "signaling.asterisk.nodes[1].name=west,east",
			"signaling.asterisk.password=" })
	void rejectsNodesThatAreAmbiguousNamelessOrWithoutCredentials(String property) {
		runner
			.withPropertyValues("signaling.asterisk.username=signaling-api", "signaling.asterisk.password=pw",
					"signaling.asterisk.nodes[0].name=east", "signaling.asterisk.nodes[0].host=10.0.0.5",
					"signaling.asterisk.nodes[1].host=10.0.1.5", property)
			.run(context -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("signaling.asterisk: set either host or nodes, not both"));
	}

	@Test
	void rejectsAPortOutOfRange() {
		runner.withPropertyValues("signaling.asterisk.port=70000").run(context -> assertThat(context).hasFailed());
	}

	@Test
	void rejectsNonPositiveTimingsAndAMaxBackoffBelowTheInitialOne() {
		runner.withPropertyValues("signaling.asterisk.response-timeout=0s")
			.run(context -> assertThat(context).hasFailed());
		runner.withPropertyValues("signaling.asterisk.ping-interval=-1s")
			.run(context -> assertThat(context).hasFailed());
		runner
			.withPropertyValues("signaling.asterisk.reconnect-initial-backoff=10s",
					"signaling.asterisk.reconnect-max-backoff=5s")
			.run(context -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("reconnect-max-backoff not below reconnect-initial-backoff"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "PJSIP/5001@kamailio", "PJSIP/{dn}@kamailio,other", "PJSIP/{dn}&PJSIP/6000",
			"PJSIP/{dn}@kamailio;opt", "/PJSIP/{dn}", "PJSIP/{dn} @kamailio", "PJSIP/\"{dn}\"", "{dn}",
			"PJSIP/{dn}@{other}", "PJSIP/{dn}@kamailio\\nApplication: System" })
	void rejectsAnAgentChannelWithoutTheDnOrWithUnsafeCharacters(String template) {
		runner.withPropertyValues("signaling.asterisk.agent-channel=" + template)
			.run(context -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("signaling.asterisk.agent-channel must contain {dn}"));
	}

	@Test
	void rejectsAnAgentChannelWithALineBreakOrAControlCharacter() {
		assertThat(properties("PJSIP/{dn}@kamailio\r\nApplication: System").isAgentChannelSafe()).isFalse();
		assertThat(properties("PJSIP/{dn}@kamailio\n").isAgentChannelSafe()).isFalse();
		assertThat(properties("PJSIP/{dn}\t@kamailio").isAgentChannelSafe()).isFalse();
		assertThat(properties("PJSIP/{dn}@kamailio").isAgentChannelSafe()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "PJSIP/{dn}@kamailio", "Local/{dn}@agents", "PJSIP/kamailio/sip:{dn}@10.0.0.7:5060",
			"SIP/{dn}" })
	void acceptsPlainDialStrings(String template) {
		runner.withPropertyValues("signaling.asterisk.agent-channel=" + template)
			.run(context -> assertThat(context).hasNotFailed());
	}

	@Test
	void rejectsAnUnsafeContextAndAPriorityBelowOne() {
		runner.withPropertyValues("signaling.asterisk.originate-context=click,to,dial")
			.run(context -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("originate-context must be 1 to 79"));
		runner.withPropertyValues("signaling.asterisk.originate-context=")
			.run(context -> assertThat(context).hasFailed());
		runner.withPropertyValues("signaling.asterisk.originate-priority=0")
			.run(context -> assertThat(context).hasFailed());
	}

	@Test
	void toStringMasksThePassword() {
		AsteriskProperties properties = properties("PJSIP/{dn}@kamailio");

		assertThat(properties.toString()).doesNotContain("t0p-s3cret")
			.contains("password=******")
			.contains("host=10.0.0.5")
			.contains("username=signaling-api");
	}

	private static AsteriskProperties properties(String agentChannel) {
		return new AsteriskProperties("10.0.0.5", 5038, "signaling-api", "t0p-s3cret", Duration.ofSeconds(5),
				Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ofSeconds(1), Duration.ofSeconds(30),
				agentChannel, "click-to-dial", 1, List.of());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(AsteriskProperties.class)
	static class PropertiesConfiguration {

	}

}
