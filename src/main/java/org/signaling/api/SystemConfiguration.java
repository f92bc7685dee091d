package org.signaling.api;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.AbstractApplicationContext;

/** Beans every module may use. */
@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

	/** The wall clock; tests replace it to control ages and durations. */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	/** One failing listener never keeps an event from the others (see {@link IsolatingEventMulticaster}). */
	@Bean(AbstractApplicationContext.APPLICATION_EVENT_MULTICASTER_BEAN_NAME)
	static IsolatingEventMulticaster applicationEventMulticaster(ObjectProvider<MeterRegistry> meters) {
		return new IsolatingEventMulticaster(meters);
	}

}
