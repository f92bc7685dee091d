package org.signaling.api.events.internal;

import org.springframework.context.ApplicationContext;

/** For tests outside this package: how many event streams the service holds open. */
public final class EventStreams {

	private EventStreams() {
	}

	public static int open(ApplicationContext context) {
		return context.getBean(EventStream.class).openStreams();
	}

}
