package org.signaling.api.testsupport;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * For whole-service tests ({@code @SpringBootTest}): Kamailio's view, Asterisk and Kamailio's dialog control
 * replaced by fakes the test drives, and a clock it moves (starting at {@link FeatureTestConfiguration#NOW});
 * everything else (controllers, services, database, security) is the real service.
 */
@TestConfiguration(proxyBeanMethods = false)
public class FakeBackends {

	@Bean
	@Primary
	MutableClock testClock() {
		return new MutableClock(FeatureTestConfiguration.NOW);
	}

	@Bean
	@Primary
	FakeSignalingState fakeKamailio(MutableClock clock) {
		return new FakeSignalingState(clock);
	}

	@Bean
	@Primary
	FakePbx fakeAsterisk() {
		return new FakePbx();
	}

	@Bean
	@Primary
	FakeMediaControl fakeMediaControl() {
		return new FakeMediaControl();
	}

	@Bean
	@Primary
	FakeDialogControl fakeDialogControl() {
		return new FakeDialogControl();
	}

}
