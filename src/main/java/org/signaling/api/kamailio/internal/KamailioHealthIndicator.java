package org.signaling.api.kamailio.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.signaling.api.kamailio.KamailioProperties;
import org.signaling.api.shared.BackendHealth;
import org.signaling.api.shared.ComponentHealth;

/**
 * The "kamailio" health component: up while the live view is within its staleness bound. Read from the view, so a
 * health poll never causes an RPC. The {@code push} detail says whether Kamailio's push events are connected,
 * disconnected or disabled; a push outage leaves the component up, since the view is still polled.
 */
class KamailioHealthIndicator implements BackendHealth {

	private final KamailioStateView view;

	private final KamailioProperties properties;

	private final @Nullable EvapiListeners push;

	KamailioHealthIndicator(KamailioStateView view, KamailioProperties properties) {
		this(view, properties, null);
	}

	KamailioHealthIndicator(KamailioStateView view, KamailioProperties properties, @Nullable EvapiListeners push) {
		this.view = view;
		this.properties = properties;
		this.push = push;
	}

	@Override
	public String backend() {
		return "kamailio";
	}

	@Override
	public ComponentHealth.Status status() {
		return view.isFresh() ? ComponentHealth.Status.UP : ComponentHealth.Status.DOWN;
	}

	@Override
	public ComponentHealth componentHealth() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("rpcUrl", properties.displayRpcUrl());
		// with a pair (rpc-urls), the node read now: an operator sees a failover here
		details.put("rpcNode", view.rpcNode());
		Duration age = view.age();
		if (age != null) {
			details.put("stateAgeMs", age.toMillis());
		}
		details.put("registeredDns", view.registeredDns());
		details.put("activeCalls", view.activeCallCount());
		details.put("push", ((push != null) ? push.status() : EvapiListener.Status.DISABLED).value());
		if (push != null && push.statusByNode().size() > 1) {
			// with a pair, each node's push: the view reads only what pushes name while every node's is connected
			details.put("pushNodes", push.statusByNode());
		}
		KamailioStateView.Failure failure = view.lastFailure();
		return new ComponentHealth(status(), (failure != null) ? failure.message() : null,
				(failure != null) ? failure.at() : null, details);
	}

}
