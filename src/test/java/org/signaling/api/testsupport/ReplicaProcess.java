package org.signaling.api.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * One replica of the service as its own JVM process, started on this test JVM's classpath with the same settings as
 * {@link ServiceReplica}: the one a test can kill outright ({@code SIGKILL}), with no shutdown hook, no lease
 * released, connections left for the database to notice.
 */
public final class ReplicaProcess implements AutoCloseable {

	/** The leadership gauge's line while it leads, with whatever common tags the registry adds. */
	private static final Pattern LEADER = Pattern.compile("signaling_cluster_leader(\\{[^}]*\\})? 1(\\.0)?");

	private final Process process;

	private final ApiClient api;

	private final Path log;

	private ReplicaProcess(Process process, ApiClient api, Path log) {
		this.process = process;
		this.api = api;
		this.log = log;
	}

	/** Starts it and waits until it is ready ({@code /actuator/health/readiness} answers 200). */
	public static ReplicaProcess start(String name, TestTls tls, PostgresProcess postgres, KamailioProcess kamailio,
			Map<String, String> settings, Duration bound) {
		int port = FreePorts.tcpAndUdp();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
			.toString(), "-Xmx512m", "-cp", TestClasspath.current(), "org.signaling.api.SignalingApiApplication",
				"--spring.profiles.active=test"));
		Map<String, Object> properties = ServiceReplica.properties(tls, postgres, kamailio, List.of(), settings);
		properties.put("server.port", String.valueOf(port));
		properties.forEach((key, value) -> command.add("--" + key + "=" + value));
		try {
			Path log = Files.createDirectories(Path.of("target", "replica-processes")).resolve(name + ".log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			ReplicaProcess replica = new ReplicaProcess(process,
					new ApiClient("https://localhost:" + port, tls.clientContext()), log);
			await().atMost(bound).ignoreExceptions().until(() -> {
				if (!process.isAlive()) {
					throw new IllegalStateException("replica " + name + " exited; see " + log.toAbsolutePath());
				}
				return replica.api.get("/actuator/health/readiness").status() == 200;
			});
			return replica;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** An API client of this replica, with the test admin key. */
	public ApiClient api() {
		return api;
	}

	/** Whether it leads the cluster, as its own metric says ({@code signaling_cluster_leader}). */
	public boolean leads() {
		return api.get("/actuator/prometheus", "text/plain").body().lines().anyMatch(LEADER.asMatchPredicate());
	}

	/** SIGKILL: the process ends at once, as on a crash or an OOM kill. */
	public void kill() {
		process.destroyForcibly();
		try {
			process.waitFor();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Where its output went. */
	public Path log() {
		return log;
	}

	@Override
	public void close() {
		if (process.isAlive()) {
			kill();
		}
	}

}
