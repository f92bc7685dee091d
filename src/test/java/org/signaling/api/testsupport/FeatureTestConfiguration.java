package org.signaling.api.testsupport;

import java.time.Instant;

import org.signaling.api.dn.DnProperties;
import org.signaling.api.genesys.GenesysProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;

/**
 * For {@code @WebMvcTest}s of the features: the real dn, call and genesys services over a
 * {@link FakeSignalingState} in place of the Kamailio adapter, and a clock the test moves.
 * DN directory: 5001-5005. Genesys server: 192.168.210.81:5060 in dispatcher set 1.
 */
@TestConfiguration(proxyBeanMethods = false)
@ComponentScan(basePackages = { "org.signaling.api.dn", "org.signaling.api.call", "org.signaling.api.genesys" })
@EnableConfigurationProperties({ DnProperties.class, GenesysProperties.class })
public class FeatureTestConfiguration {

	public static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

	@Bean
	MutableClock clock() {
		return new MutableClock(NOW);
	}

	@Bean
	FakeSignalingState fakeSignalingState(MutableClock clock) {
		return new FakeSignalingState(clock);
	}

}
