package org.signaling.api.asterisk.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import org.asteriskjava.manager.ManagerEventListener;
import org.signaling.api.asterisk.AsteriskProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * One {@link AmiConnection} per configured Asterisk node ({@code signaling.asterisk.nodes}, or the one
 * {@code signaling.asterisk.host}), started and stopped together; none when Asterisk is not configured. Each session
 * logs in, reconnects and delivers its events on its own threads, so a node that is away delays none of the others.
 */
@Component
public class AmiConnections implements SmartLifecycle {

	private final List<AmiConnection> connections;

	private volatile boolean running;

	@Autowired
	public AmiConnections(AsteriskProperties properties, MeterRegistry meterRegistry, Clock clock) {
		this(sessions(properties, meterRegistry, clock));
	}

	/** These sessions, as they are; for a node's session made elsewhere (a test's). */
	AmiConnections(List<AmiConnection> connections) {
		this.connections = List.copyOf(connections);
	}

	private static List<AmiConnection> sessions(AsteriskProperties properties, MeterRegistry meterRegistry,
			Clock clock) {
		List<AmiConnection> created = new ArrayList<>();
		properties.nodeSettings()
			.forEach((node, settings) -> created.add(new AmiConnection(node, settings, meterRegistry, clock)));
		return created;
	}

	/** Whether any node is configured. */
	public boolean isConfigured() {
		return connections.stream().anyMatch(AmiConnection::isConfigured);
	}

	/** Every node's session, in configuration order. */
	public List<AmiConnection> all() {
		return connections;
	}

	/** The session of the node called {@code node}. */
	public Optional<AmiConnection> of(String node) {
		return connections.stream().filter((connection) -> connection.node().equals(node)).findFirst();
	}

	/** Registers a listener on every node's session; see {@link AmiConnection#addEventListener}. */
	public void addEventListener(ManagerEventListener listener) {
		connections.forEach((connection) -> connection.addEventListener(listener));
	}

	public void removeEventListener(ManagerEventListener listener) {
		connections.forEach((connection) -> connection.removeEventListener(listener));
	}

	@Override
	public void start() {
		connections.forEach(AmiConnection::start);
		running = true;
	}

	@Override
	public void stop() {
		connections.forEach(AmiConnection::stop);
		running = false;
	}

	@Override
	public boolean isRunning() {
		return running;
	}

}
