package org.signaling.api.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server (Debian's {@code postgresql} package) on 127.0.0.1 and a free port, in a temporary
 * directory, for tests of the production database. PostgreSQL refuses to run as root: when the tests run as root
 * the server runs as the {@code postgres} user.
 */
public final class PostgresProcess implements AutoCloseable {

	private final Path bin;

	private final Path dir;

	private final int port;

	private PostgresProcess(Path bin, Path dir, int port) {
		this.bin = bin;
		this.dir = dir;
		this.port = port;
	}

	/** Whether the server binaries are installed (scripts/test installs them). */
	public static boolean isInstalled() {
		return findBin() != null;
	}

	public static PostgresProcess start() {
		Path bin = findBin();
		if (bin == null) {
			throw new IllegalStateException("PostgreSQL server not installed (apt-get install postgresql)");
		}
		try {
			Path dir = Files.createTempDirectory("signaling-api-pg");
			if (isRoot()) {
				UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService()
					.lookupPrincipalByName("postgres");
				Files.setOwner(dir, postgres);
			}
			PostgresProcess server = new PostgresProcess(bin, dir, FreePorts.tcp());
			server.run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres",
					"--auth=trust", "--no-sync", "-E", "UTF8"));
			server.startAgain();
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public String jdbcUrl() {
		return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
	}

	public String username() {
		return "postgres";
	}

	/** Starts the server (again, after {@link #stop()}) on the same port with the same data. */
	public void startAgain() {
		run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
				dir.resolve("server.log").toString(), "-w", "-t", "30", "-o",
				"-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
	}

	/** Stops the server as an outage would: connections are closed, new ones refused, the data kept. */
	public void stop() {
		run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w",
				"stop"));
	}

	@Override
	public void close() {
		if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
			stop();
		}
	}

	private void run(List<String> command) {
		List<String> full = new ArrayList<>();
		if (isRoot()) {
			full.addAll(List.of("runuser", "-u", "postgres", "--"));
		}
		full.addAll(command);
		try {
			Process process = new ProcessBuilder(full).redirectErrorStream(true)
				.redirectOutput(dir.resolve("commands.log").toFile())
				.start();
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("Timed out: " + full);
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException("Failed: " + full + "\n"
						+ Files.readString(dir.resolve("commands.log")));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static boolean isRoot() {
		return "root".equals(System.getProperty("user.name"));
	}

	private static Path findBin() {
		Path base = Path.of("/usr/lib/postgresql");
		if (!Files.isDirectory(base)) {
			return null;
		}
		try (Stream<Path> versions = Files.list(base)) {
			return versions.map((version) -> version.resolve("bin"))
				.filter((bin) -> Files.isExecutable(bin.resolve("initdb"))
						&& Files.isExecutable(bin.resolve("postgres")))
				.max(Comparator.comparing(Path::toString))
				.orElse(null);
		}
		catch (IOException ex) {
			return null;
		}
	}

}
