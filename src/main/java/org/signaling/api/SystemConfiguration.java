package org.signaling.api;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import org.signaling.api.shared.ReplicaId;
import org.slf4j.LoggerFactory;
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

	/** This replica's name in the claims it makes on shared work; logged once at start. */
	@Bean
	ReplicaId replicaId() {
		// The container's or pod's name where there is one; no name look-up at start-up for what only labels a claim
		String host = System.getenv("HOSTNAME");
		ReplicaId id = ReplicaId.forThisProcess((host != null) ? host : "");
		LoggerFactory.getLogger(SystemConfiguration.class).info("This replica is {}", id);
		return id;
	}

	/** One failing listener never keeps an event from the others (see {@link IsolatingEventMulticaster}). */
	@Bean(AbstractApplicationContext.APPLICATION_EVENT_MULTICASTER_BEAN_NAME)
	static IsolatingEventMulticaster applicationEventMulticaster(ObjectProvider<MeterRegistry> meters) {
		return new IsolatingEventMulticaster(meters);
	}

}
