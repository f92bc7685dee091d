package org.signaling.api.hostile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.signaling.api.testsupport.KamailioProcess;

import static org.assertj.core.api.Assertions.fail;

/**
 * What a corpus found wrong, collected instead of stopping at the first: the lead fixing the product sees every
 * broken guarantee of one run, not one per run. The failure shows examples of every kind of violation (the first of
 * each, then more while there is room); the whole list goes to {@code target/hostile-corpus/}.
 */
final class Violations {

	private static final int SHOWN = 24;

	private static final int VALUE_SHOWN = 160;

	private final String corpus;

	/** The messages by the check that produced them (its format), in the order they were first seen. */
	private final Map<String, List<String>> byCheck = new LinkedHashMap<>();

	Violations(String corpus) {
		this.corpus = corpus;
	}

	void add(String what, Object... args) {
		byCheck.computeIfAbsent(what, (check) -> new ArrayList<>()).add(String.format(Locale.ROOT, what, args));
	}

	/** Records {@code what} unless {@code holds}. */
	void check(boolean holds, String what, Object... args) {
		if (!holds) {
			add(what, args);
		}
	}

	int count() {
		return byCheck.values().stream().mapToInt(List::size).sum();
	}

	/** Fails with examples of every kind of violation and their total when there is any. */
	void assertNone() {
		if (byCheck.isEmpty()) {
			return;
		}
		Path all = write();
		Map<String, List<String>> shown = new LinkedHashMap<>();
		int budget = SHOWN;
		for (int round = 0; budget > 0; round++) {
			boolean more = false;
			for (Map.Entry<String, List<String>> check : byCheck.entrySet()) {
				if (round < check.getValue().size() && budget > 0) {
					shown.computeIfAbsent(check.getKey(), (key) -> new ArrayList<>()).add(check.getValue().get(round));
					budget--;
					more = true;
				}
			}
			if (!more) {
				break;
			}
		}
		StringBuilder report = new StringBuilder();
		report.append(corpus).append(": ").append(count()).append(" violation(s) of ").append(byCheck.size())
			.append(" kind(s); all of them in ").append(all);
		shown.forEach((check, examples) -> {
			int total = byCheck.get(check).size();
			for (String example : examples) {
				report.append("\n  - ").append(example);
			}
			if (total > examples.size()) {
				report.append("\n    (").append(total - examples.size()).append(" more like this)");
			}
		});
		fail(report.toString());
	}

	private Path write() {
		Path file = KamailioProcess.repoRoot()
			.resolve("target/hostile-corpus/" + corpus.replaceAll("[^A-Za-z0-9]+", "-") + ".txt");
		List<String> lines = new ArrayList<>();
		byCheck.values().forEach(lines::addAll);
		try {
			Files.createDirectories(file.getParent());
			Files.write(file, lines, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return Path.of("(not written: " + ex.getMessage() + ")");
		}
		return file;
	}

	/**
	 * A value as a report can show it: Java escapes for control and non-ASCII characters, cut after
	 * {@value #VALUE_SHOWN} characters, so one 1 MB body or a raw CR does not wreck the report.
	 */
	static String shown(String value) {
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < value.length() && out.length() < VALUE_SHOWN; i++) {
			char c = value.charAt(i);
			if (c >= 0x20 && c < 0x7F) {
				out.append(c);
			}
			else {
				out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
			}
		}
		if (out.length() >= VALUE_SHOWN || value.length() > VALUE_SHOWN) {
			out.append("...(").append(value.length()).append(" chars)");
		}
		return out.toString();
	}

}
