package org.signaling.api.testsupport;

import java.time.Instant;

import org.signaling.api.call.CallsProperties;
import org.signaling.api.dn.DnProperties;
import org.signaling.api.dn.SipUris;
import org.signaling.api.genesys.GenesysProperties;
import org.signaling.api.pages.AgentSipEndpoint;
import org.signaling.api.shared.ChildSpans;
import org.signaling.api.sipauth.SipAuthProperties;
import org.signaling.api.web.ApiProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * For {@code @WebMvcTest}s of the features: the real dn, call, genesys and sipauth services over a
 * {@link FakeSignalingState} in place of the Kamailio adapter, and a clock the test moves. Agents register at
 * {@link #AGENT_SIP_ENDPOINT} (the pages module, which works it out, is not part of the slices).
 * Asterisk and Kamailio's dialog control are fakes too. DN directory: 5001-5005. Genesys server: 192.168.210.81:5060 in
 * dispatcher set 1.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(SecuredSlice.class)
@ComponentScan(basePackages = { "org.signaling.api.dn", "org.signaling.api.call", "org.signaling.api.genesys",
		"org.signaling.api.sipauth", "org.signaling.api.security" },
		excludeFilters = @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = TestConfiguration.class))
@EnableConfigurationProperties({ DnProperties.class, GenesysProperties.class, CallsProperties.class,
		ApiProperties.class, SipAuthProperties.class })
public class FeatureTestConfiguration {

	public static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

	public static final AgentSipEndpoint AGENT_SIP_ENDPOINT = new AgentSipEndpoint("ws://127.0.0.1:8080", "127.0.0.1");

	@Bean
	AgentSipEndpoint agentSipEndpoint() {
		return AGENT_SIP_ENDPOINT;
	}

	@Bean
	MutableClock clock() {
		return new MutableClock(NOW);
	}

	@Bean
	SipUris sipUris() {
		return new SipUris(FakeSignalingState.SIP_DOMAIN);
	}

	@Bean
	FakeSignalingState fakeSignalingState(MutableClock clock) {
		return new FakeSignalingState(clock);
	}

	@Bean
	InMemoryEventLog inMemoryEventLog(MutableClock clock) {
		return new InMemoryEventLog(clock);
	}

	/** No tracing in the slices: spans and trace ids are TracingIT's. */
	@Bean
	ChildSpans childSpans() {
		return ChildSpans.NONE;
	}

	@Bean
	FixedLeadership leadership() {
		return FixedLeadership.leading();
	}

	@Bean
	FakePbx fakePbx() {
		return new FakePbx();
	}

	@Bean
	FakeMediaControl fakeMediaControl() {
		return new FakeMediaControl();
	}

	@Bean
	FakeDialogControl fakeDialogControl() {
		return new FakeDialogControl();
	}

	@Bean
	ThreadPoolTaskScheduler taskScheduler() {
		return new ThreadPoolTaskScheduler();
	}

}
