package org.signaling.api.asterisk.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.signaling.api.shared.BackendHealth;
import org.signaling.api.shared.ComponentHealth;
import org.springframework.stereotype.Component;

/**
 * The "asterisk" backend health: UP while the AMI session is logged in, DOWN otherwise (with the last error),
 * NOT_CONFIGURED without {@code signaling.asterisk.host}. Answers from {@link AmiConnection}'s memory only.
 * <p>
 * Details: {@code server} (host:port), {@code state}, and when known {@code connectedSince} (ISO-8601) and
 * {@code lastEventAgeMs} (time since the last event Asterisk sent).
 */
@Component("asteriskHealthIndicator")
public class AsteriskHealthIndicator implements BackendHealth {

	private final AmiConnection connection;

	private final Clock clock;

	public AsteriskHealthIndicator(AmiConnection connection, Clock clock) {
		this.connection = connection;
		this.clock = clock;
	}

	@Override
	public String backend() {
		return "asterisk";
	}

	@Override
	public ComponentHealth.Status status() {
		AmiStatus status = connection.status();
		if (status.state() == AmiConnectionState.NOT_CONFIGURED) {
			return ComponentHealth.Status.NOT_CONFIGURED;
		}
		return status.isConnected() ? ComponentHealth.Status.UP : ComponentHealth.Status.DOWN;
	}

	@Override
	public ComponentHealth componentHealth() {
		AmiStatus status = connection.status();
		if (status.state() == AmiConnectionState.NOT_CONFIGURED) {
			return ComponentHealth.notConfigured();
		}
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
		ComponentHealth.Status health = status.isConnected() ? ComponentHealth.Status.UP : ComponentHealth.Status.DOWN;
		return new ComponentHealth(health, status.lastError(), status.lastErrorAt(), details);
	}

}
