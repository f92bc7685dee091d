package org.signaling.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client depends on the JDK alone: every import in clients/java/src/main/java is java.*, javax.net.*,
 * javax.crypto.* (the HMAC of webhook signatures) or its own package, and no file names another package in full.
 */
class DependencyFreeTests {

	static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(static\\s+)?([\\w.]+)(\\.\\*)?\\s*;",
			Pattern.MULTILINE);

	static final Pattern ALLOWED = Pattern.compile("(java\\.|javax\\.net\\.|javax\\.crypto\\.|org\\.signaling\\.client\\.).*");

	@Test
	void mainSourcesImportOnlyTheJdkAndTheirOwnPackage() throws IOException {
		Path sources = sources();
		List<String> offending = new ArrayList<>();
		int files = 0;
		try (Stream<Path> paths = Files.walk(sources)) {
			for (Path file : paths.filter((path) -> path.toString().endsWith(".java")).toList()) {
				files++;
				String text = Files.readString(file);
				Matcher matcher = IMPORT.matcher(text);
				while (matcher.find()) {
					if (!ALLOWED.matcher(matcher.group(2)).matches()) {
						offending.add(sources.relativize(file) + ": " + matcher.group(2));
					}
				}
				assertTrue(text.contains("package org.signaling.client;"), file + " is outside org.signaling.client");
				for (String foreign : List.of("org.springframework", "tools.jackson", "com.fasterxml", "org.slf4j",
						"org.apache", "com.google", "jakarta.", "org.jspecify")) {
					if (text.contains(foreign)) {
						offending.add(sources.relativize(file) + ": mentions " + foreign);
					}
				}
			}
		}
		assertTrue(files >= 10, "found only " + files + " files under " + sources);
		assertEquals(List.of(), offending);
	}

	/** From the service's build (project.basedir = the repository) or from clients/java's own. */
	static Path sources() {
		for (String base : new String[] { System.getProperty("project.basedir"), System.getProperty("basedir"),
				System.getProperty("user.dir") }) {
			if (base == null) {
				continue;
			}
			for (Path candidate : List.of(Path.of(base, "clients/java/src/main/java/org/signaling/client"),
					Path.of(base, "src/main/java/org/signaling/client"))) {
				if (Files.isDirectory(candidate) && Files.exists(candidate.resolve("SignalingClient.java"))) {
					return candidate;
				}
			}
		}
		throw new IllegalStateException("clients/java/src/main/java not found from " + System.getProperty("user.dir"));
	}

}
