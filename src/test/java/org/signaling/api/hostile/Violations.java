package org.signaling.api.hostile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.fail;

/**
 * What a corpus found wrong, collected instead of stopping at the first: the lead fixing the product sees every
 * broken guarantee of one run, not one per run.
 */
final class Violations {

	private static final int SHOWN = 20;

	private static final int VALUE_SHOWN = 160;

	private final String corpus;

	private final List<String> found = new ArrayList<>();

	Violations(String corpus) {
		this.corpus = corpus;
	}

	void add(String what, Object... args) {
		found.add(String.format(Locale.ROOT, what, args));
	}

	/** Records {@code what} unless {@code holds}. */
	void check(boolean holds, String what, Object... args) {
		if (!holds) {
			add(what, args);
		}
	}

	int count() {
		return found.size();
	}

	/** Fails with the first {@value #SHOWN} violations and their total when there is any. */
	void assertNone() {
		if (found.isEmpty()) {
			return;
		}
		StringBuilder report = new StringBuilder();
		report.append(corpus).append(": ").append(found.size()).append(" violation(s)");
		found.stream().limit(SHOWN).forEach((violation) -> report.append("\n  - ").append(violation));
		if (found.size() > SHOWN) {
			report.append("\n  ... and ").append(found.size() - SHOWN).append(" more");
		}
		fail(report.toString());
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
