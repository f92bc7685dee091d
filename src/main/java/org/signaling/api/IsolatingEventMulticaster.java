package org.signaling.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.event.ApplicationContextEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.context.event.SimpleApplicationEventMulticaster;

/**
 * Delivers the application's own events (a view refresh, a call record change, an appended event) to every
 * listener even when one of them fails: Spring's default multicaster stops at the first exception and throws it at
 * whoever published, so one listener's bug or database error would silence the others (events, history, webhooks)
 * and reach the Kamailio refresh thread, the AMI event thread or a request. A failure is counted in
 * {@code signaling.events.listener.failures}, logged once when a listener starts failing and once when it works
 * again; the listener is simply called again with the next event. Spring's own context and start-up events keep the
 * default behaviour: a failure there should stop the start.
 */
class IsolatingEventMulticaster extends SimpleApplicationEventMulticaster {

	private static final Logger log = LoggerFactory.getLogger(IsolatingEventMulticaster.class);

	private final ObjectProvider<MeterRegistry> meters;

	/** Listeners whose last call failed, so that an outage is logged once and its end once. */
	private final Map<String, Boolean> failing = new ConcurrentHashMap<>();

	IsolatingEventMulticaster(ObjectProvider<MeterRegistry> meters) {
		this.meters = meters;
	}

	@Override
	protected void invokeListener(ApplicationListener<?> listener, ApplicationEvent event) {
		if (event instanceof ApplicationContextEvent || event instanceof SpringApplicationEvent) {
			super.invokeListener(listener, event);
			return;
		}
		String id = idOf(listener);
		try {
			super.invokeListener(listener, event);
		}
		catch (RuntimeException | Error ex) {
			if (ex instanceof VirtualMachineError) {
				throw ex;
			}
			MeterRegistry registry = meters.getIfAvailable();
			if (registry != null) {
				Counter.builder("signaling.events.listener.failures")
					.description("Application listeners that failed on an event (the others still got it)")
					.tag("event", typeOf(event))
					.register(registry)
					.increment();
			}
			if (failing.put(id, Boolean.TRUE) == null) {
				log.error("{} failed on {}; it is called again with the next event", id, typeOf(event), ex);
			}
			return;
		}
		if (!failing.isEmpty() && failing.remove(id) != null) {
			log.info("{} handles events again", id);
		}
	}

	private static String idOf(ApplicationListener<?> listener) {
		if (listener instanceof GenericApplicationListener generic && !generic.getListenerId().isEmpty()) {
			return generic.getListenerId();
		}
		return listener.getClass().getName();
	}

	private static String typeOf(ApplicationEvent event) {
		Object payload = (event instanceof PayloadApplicationEvent<?> wrapped) ? wrapped.getPayload() : event;
		return payload.getClass().getSimpleName();
	}

}
