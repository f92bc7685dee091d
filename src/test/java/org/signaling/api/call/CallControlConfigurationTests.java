package org.signaling.api.call;

import org.junit.jupiter.api.Test;
import org.signaling.api.call.internal.CallRegistry;
import org.signaling.api.call.internal.IdempotencyKeys;
import org.signaling.api.dn.DnService;
import org.signaling.api.shared.ChildSpans;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * {@code signaling.calls.originator} alone decides what places calls: Asterisk (the PBX) by default, Kamailio's
 * click-to-dial when configured, whatever other originators the context holds.
 */
class CallControlConfigurationTests {

	final Pbx asterisk = mock(Pbx.class);

	final CallOriginator kamailio = mock(CallOriginator.class);

	final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(CallControlConfiguration.class)
		.withBean(MakeCallValidator.class, () -> mock(MakeCallValidator.class))
		.withBean(ChildSpans.class, () -> ChildSpans.NONE)
		.withBean(IdempotencyKeys.class, () -> mock(IdempotencyKeys.class))
		.withBean(DnService.class, () -> mock(DnService.class))
		.withBean(CallRegistry.class, () -> mock(CallRegistry.class))
		.withBean("asterisk", Pbx.class, () -> asterisk)
		.withBean("kamailio", CallOriginator.class, () -> kamailio);

	CallControlConfigurationTests() {
		given(asterisk.name()).willReturn(CallOriginator.ASTERISK);
		given(kamailio.name()).willReturn(CallOriginator.KAMAILIO);
	}

	@Test
	void asteriskPlacesCallsByDefault() {
		runner.run((context) -> assertThat(context.getBean(CallControlService.class))
			.extracting("originator")
			.isSameAs(asterisk));
	}

	@Test
	void kamailioPlacesCallsWhenConfigured() {
		runner.withPropertyValues("signaling.calls.originator=kamailio")
			.run((context) -> assertThat(context.getBean(CallControlService.class))
				.extracting("originator")
				.isSameAs(kamailio));
	}

}
