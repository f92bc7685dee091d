package org.signaling.api.asterisk.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.signaling.api.shared.BackendHealth;
import org.signaling.api.shared.ComponentHealth;
import org.springframework.stereotype.Component;

/**
 * The "asterisk" backend health, from {@link AmiConnections}' memory only: NOT_CONFIGURED without a host or nodes;
 * UP while a session is logged in (calls can be placed), DOWN when none is, with the latest error.
 * <p>
 * Details of one node: {@code server} (host:port), {@code state}, and when known {@code connectedSince} (ISO-8601) and
 * {@code lastEventAgeMs} (time since the last event Asterisk sent). With several nodes: {@code connectedNodes},
 * {@code nodeCount} and {@code nodes}, each node's details with its {@code name}; a node that is away leaves the
 * backend UP while another is connected (its metric {@code signaling_asterisk_connected{node}} says which).
 */
@Component("asteriskHealthIndicator")
public class AsteriskHealthIndicator implements BackendHealth {

	private final AmiConnections connections;

	private final Clock clock;

	public AsteriskHealthIndicator(AmiConnections connections, Clock clock) {
		this.connections = connections;
		this.clock = clock;
	}

	@Override
	public String backend() {
		return "asterisk";
	}

	@Override
	public ComponentHealth.Status status() {
		if (!connections.isConfigured()) {
			return ComponentHealth.Status.NOT_CONFIGURED;
		}
		return connections.all().stream().anyMatch((node) -> node.status().isConnected()) ? ComponentHealth.Status.UP
				: ComponentHealth.Status.DOWN;
	}

	@Override
	public ComponentHealth componentHealth() {
		if (!connections.isConfigured()) {
			return ComponentHealth.notConfigured();
		}
		List<AmiConnection> all = connections.all();
		if (all.size() == 1) {
			AmiStatus status = all.get(0).status();
			return new ComponentHealth(status.isConnected() ? ComponentHealth.Status.UP : ComponentHealth.Status.DOWN,
					status.lastError(), status.lastErrorAt(), details(status));
		}
		List<Map<String, Object>> nodes = new ArrayList<>();
		int connected = 0;
		AmiStatus latestError = null;
		String latestErrorNode = null;
		for (AmiConnection node : all) {
			AmiStatus status = node.status();
			connected += status.isConnected() ? 1 : 0;
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("name", node.node());
			details.putAll(details(status));
			nodes.add(details);
			if (status.lastErrorAt() != null
					&& (latestError == null || status.lastErrorAt().isAfter(latestError.lastErrorAt()))) {
				latestError = status;
				latestErrorNode = node.node();
			}
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("connectedNodes", connected);
		details.put("nodeCount", all.size());
		details.put("nodes", nodes);
		ComponentHealth.Status health = (connected > 0) ? ComponentHealth.Status.UP : ComponentHealth.Status.DOWN;
		return (latestError == null) ? new ComponentHealth(health, null, null, details)
				: new ComponentHealth(health, latestErrorNode + ": " + latestError.lastError(),
						latestError.lastErrorAt(), details);
	}

	private Map<String, Object> details(AmiStatus status) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("server", status.server());
		details.put("state", status.state().name());
		if (status.connectedSince() != null) {
			details.put("connectedSince", status.connectedSince().toString());
		}
		if (status.lastEventAt() != null) {
			Duration age = Duration.between(status.lastEventAt(), clock.instant());
			details.put("lastEventAgeMs", Math.max(0, age.toMillis()));
		}
		return details;
	}

}
