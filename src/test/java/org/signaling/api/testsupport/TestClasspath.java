package org.signaling.api.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The classpath this test JVM runs with, to start another JVM on it (a replica as a process). Surefire and failsafe
 * start test JVMs with a manifest-only jar whose {@code Class-Path} holds the real entries; an IDE gives them
 * directly.
 */
public final class TestClasspath {

	private TestClasspath() {
	}

	public static String current() {
		String classpath = System.getProperty("java.class.path");
		String[] entries = classpath.split(File.pathSeparator);
		if (entries.length != 1 || !entries[0].endsWith(".jar")) {
			return classpath;
		}
		Path jar = Path.of(entries[0]).toAbsolutePath();
		try (JarFile booter = new JarFile(jar.toFile())) {
			Manifest manifest = booter.getManifest();
			String listed = (manifest != null) ? manifest.getMainAttributes().getValue("Class-Path") : null;
			if (listed == null || listed.isBlank()) {
				return classpath;
			}
			URI base = jar.getParent().toUri();
			List<String> paths = new ArrayList<>();
			for (String entry : listed.trim().split("\\s+")) {
				paths.add(Path.of(base.resolve(entry)).toString());
			}
			return String.join(File.pathSeparator, paths);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
