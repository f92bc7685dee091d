package org.signaling.api.testsupport;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/**
 * Base of the {@link FeatureSliceTest}s: MockMvc, the fake Kamailio state and the clock, reset before each test to
 * {@link FeatureTestConfiguration#NOW} and an empty state.
 */
public abstract class FeatureControllerTest {

	@Autowired
	protected MockMvcTester mvc;

	@Autowired
	protected FakeSignalingState kamailio;

	@Autowired
	protected MutableClock clock;

	@BeforeEach
	void resetState() {
		clock.set(FeatureTestConfiguration.NOW);
		kamailio.reset();
	}

}
