package org.signaling.api.kamailio.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.signaling.api.kamailio.internal.KamailioStateView.Part;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kamailio's push events from every node ({@code signaling.kamailio.evapi-addresses}, or the one
 * {@code evapi-address}): one {@link EvapiListener} per node. A node pushes only the registrations it saved itself
 * (one replicated to it over DMQ passes through no REGISTER route there), so the view may read only what pushes name
 * while every node's push is connected, and must read the whole table as soon as one is lost.
 */
class EvapiListeners implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(EvapiListeners.class);

	private final List<EvapiListener> listeners = new ArrayList<>();

	private final PushHints view;

	/** Whether each node's push is connected, by the node's index; guarded by itself. */
	private final boolean[] connected;

	private volatile boolean running;

	/** @param addresses {@code host:port} of each node's evapi; none: push is off */
	EvapiListeners(List<String> addresses, PushHints view, JsonMapper json, Duration connectTimeout,
			MeterRegistry meters) {
		this.view = view;
		this.connected = new boolean[addresses.size()];
		for (int i = 0; i < addresses.size(); i++) {
			listeners.add(new EvapiListener(addresses.get(i), new NodeHints(i), json, connectTimeout, meters));
		}
	}

	/** Connected while every node's push is, disabled without any, disconnected otherwise. */
	EvapiListener.Status status() {
		if (listeners.isEmpty()) {
			return EvapiListener.Status.DISABLED;
		}
		boolean all = listeners.stream().allMatch((listener) -> listener.status() == EvapiListener.Status.CONNECTED);
		return all ? EvapiListener.Status.CONNECTED : EvapiListener.Status.DISCONNECTED;
	}

	/** Each node's push status by its address, in configuration order. */
	Map<String, String> statusByNode() {
		Map<String, String> statuses = new LinkedHashMap<>();
		listeners.forEach((listener) -> statuses.put(String.valueOf(listener.address()), listener.status().value()));
		return statuses;
	}

	@Override
	public void start() {
		if (listeners.isEmpty()) {
			log.info("Kamailio push events are off (signaling.kamailio.evapi-address not set): polling only");
		}
		listeners.forEach(EvapiListener::start);
		running = true;
	}

	@Override
	public void stop() {
		listeners.forEach(EvapiListener::stop);
		running = false;
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** What one node's listener tells the view: its pushes as they come, its connection as part of the whole. */
	private final class NodeHints implements PushHints {

		private final int node;

		NodeHints(int node) {
			this.node = node;
		}

		@Override
		public void refreshSoon(Part part) {
			view.refreshSoon(part);
		}

		@Override
		public void registrationChanged(String aor) {
			view.registrationChanged(aor);
		}

		@Override
		public void pushConnected(boolean nodeConnected) {
			synchronized (connected) {
				connected[node] = nodeConnected;
				boolean all = true;
				for (boolean each : connected) {
					all &= each;
				}
				view.pushConnected(all);
			}
		}

	}

}
