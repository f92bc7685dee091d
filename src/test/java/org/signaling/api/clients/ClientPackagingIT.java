package org.signaling.api.clients;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;
import org.signaling.api.testsupport.KamailioProcess;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both clients are ready to publish, built by their own tools as an integrator would: npm's tarball of clients/js
 * holds the code, the type declarations and the README but none of the tests; clients/java's pom builds the jar with
 * its -sources.jar and -javadoc.jar (so the Javadoc passes doclint). The nested Maven build writes only
 * clients/java/target, never this build's target.
 */
class ClientPackagingIT {

	static final Path ROOT = KamailioProcess.repoRoot();

	// the first run on a fresh machine downloads the source and javadoc plugins
	static final Duration MAVEN_BOUND = Duration.ofMinutes(10);

	static final Duration NPM_BOUND = Duration.ofMinutes(2);

	@Test
	void theJavaScriptTarballHoldsTheCodeTypesAndReadmeButNoTests() throws Exception {
		Run npm = run(ROOT.resolve("clients/js"), NPM_BOUND, "npm", "pack", "--dry-run", "--json");

		assertThat(npm.exitCode()).as("npm pack --dry-run --json:%n%s", npm.output()).isZero();
		List<String> files = new ArrayList<>();
		for (JsonNode file : JsonMapper.shared().readTree(npm.stdout()).path(0).path("files")) {
			files.add(file.path("path").asString());
		}
		assertThat(files).contains("package.json", "README.md", "index.d.ts", "webhooks.d.ts", "src/index.js",
				"src/webhooks.js");
		assertThat(files).noneMatch((path) -> path.startsWith("test/") || path.startsWith("testing/"));
		// nothing else either: what is published is chosen by package.json's files, not by what lies around
		assertThat(files).allMatch((path) -> path.startsWith("src/") || path.equals("package.json")
				|| path.equals("README.md") || (path.endsWith(".d.ts") && !path.contains("/")), "code, types or docs");
	}

	@Test
	void theJavaClientsPomBuildsTheJarWithItsSourcesAndJavadoc() throws Exception {
		Path target = ROOT.resolve("clients/java/target");

		// clean: jars of an earlier build must not stand in for this one's, and maven-javadoc-plugin 3.12.0 would
		// skip javadoc (and so doclint) when only sources changed: its up-to-date check sees options and outputs
		Run maven = run(ROOT, MAVEN_BOUND, ROOT.resolve("mvnw").toString(), "-f", "clients/java/pom.xml", "-B", "-q",
				"clean", "package", "-DskipTests");

		assertThat(maven.exitCode()).as("mvnw -f clients/java/pom.xml clean package:%n%s", maven.output()).isZero();
		List<String> names = jars(target).stream().map((jar) -> jar.getFileName().toString()).toList();
		assertThat(names).as("jars in %s", target).hasSize(3);
		Path jar = target
			.resolve(only(names, (name) -> !name.endsWith("-sources.jar") && !name.endsWith("-javadoc.jar")));
		Path sources = target.resolve(only(names, (name) -> name.endsWith("-sources.jar")));
		Path javadoc = target.resolve(only(names, (name) -> name.endsWith("-javadoc.jar")));
		try (JarFile classes = new JarFile(jar.toFile())) {
			assertThat(classes.getEntry("org/signaling/client/SignalingClient.class")).isNotNull();
			assertThat(classes.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
				.isEqualTo("org.signaling.client");
			assertThat(version(classes)).as("the version the client sends as User-Agent, filled in by the build")
				.matches("\\d+\\.\\d+\\.\\d+\\S*");
		}
		try (JarFile sourceJar = new JarFile(sources.toFile())) {
			assertThat(sourceJar.getEntry("org/signaling/client/SignalingClient.java")).isNotNull();
		}
		try (JarFile javadocJar = new JarFile(javadoc.toFile())) {
			assertThat(javadocJar.getEntry("index.html")).isNotNull();
		}
	}

	private static List<Path> jars(Path target) throws IOException {
		List<Path> jars = new ArrayList<>();
		if (Files.isDirectory(target)) {
			try (DirectoryStream<Path> stream = Files.newDirectoryStream(target, "signaling-api-client-*.jar")) {
				stream.forEach(jars::add);
			}
		}
		return jars;
	}

	private static String only(List<String> names, Predicate<String> filter) {
		List<String> matching = names.stream().filter(filter).toList();
		assertThat(matching).as("one of %s", names).hasSize(1);
		return matching.get(0);
	}

	private static String version(JarFile jar) throws IOException {
		ZipEntry entry = jar.getEntry("org/signaling/client/signaling-api-client.properties");
		assertThat(entry).isNotNull();
		Properties properties = new Properties();
		try (InputStream in = jar.getInputStream(entry)) {
			properties.load(in);
		}
		return properties.getProperty("version");
	}

	/** Runs a command in a directory, within a bound; standard output and error are kept apart. */
	private static Run run(Path directory, Duration bound, String... command) throws Exception {
		Path stdout = Files.createTempFile("client-packaging", ".out");
		Path stderr = Files.createTempFile("client-packaging", ".err");
		try {
			ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
				.redirectOutput(stdout.toFile())
				.redirectError(stderr.toFile());
			// the nested Maven on the JDK this build runs on, not whatever JAVA_HOME or PATH would pick
			builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
			Process process = builder.start();
			process.getOutputStream().close();
			if (!process.waitFor(bound.toSeconds(), TimeUnit.SECONDS)) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly();
				throw new AssertionError(String.join(" ", command) + " did not finish within " + bound + ":\n"
						+ Files.readString(stdout, StandardCharsets.UTF_8)
						+ Files.readString(stderr, StandardCharsets.UTF_8));
			}
			return new Run(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
					Files.readString(stderr, StandardCharsets.UTF_8));
		}
		finally {
			Files.deleteIfExists(stdout);
			Files.deleteIfExists(stderr);
		}
	}

	record Run(int exitCode, String stdout, String stderr) {

		String output() {
			return stdout + stderr;
		}

	}

}
