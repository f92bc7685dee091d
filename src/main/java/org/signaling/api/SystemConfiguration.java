package org.signaling.api;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans every module may use. */
@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

	/** The wall clock; tests replace it to control ages and durations. */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
