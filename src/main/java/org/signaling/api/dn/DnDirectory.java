package org.signaling.api.dn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.stereotype.Component;

/** The configured DN directory ({@code signaling.dn.directory}), ranges expanded once at start-up. */
@Component
public class DnDirectory {

	/** Bounds memory and start-up time if a range is mistyped ("5001-50099"). */
	static final int MAX_SIZE = 100_000;

	private final Set<String> dns;

	DnDirectory(DnProperties properties) {
		this.dns = expand(properties.directory());
	}

	/** A directory of the given entries (DNs or ranges). */
	public static DnDirectory of(String... entries) {
		return new DnDirectory(new DnProperties(List.of(entries)));
	}

	private static Set<String> expand(List<String> entries) {
		Set<String> expanded = new LinkedHashSet<>();
		for (String entry : entries) {
			int dash = entry.indexOf('-', 1);
			if (entry.matches("[0-9]+-[0-9]+")) {
				expandRange(entry, dash, expanded);
			}
			else {
				expanded.add(DnSyntax.requireValid(entry));
			}
			if (expanded.size() > MAX_SIZE) {
				throw new IllegalArgumentException("signaling.dn.directory holds more than " + MAX_SIZE + " DNs");
			}
		}
		List<String> sorted = new ArrayList<>(expanded);
		sorted.sort(Registrations.DN_ORDER);
		return Collections.unmodifiableSet(new LinkedHashSet<>(sorted));
	}

	public boolean contains(String dn) {
		return dns.contains(dn);
	}

	/**
	 * Whether a DN may be an agent's before it has ever registered: one in the directory, or any DN when no directory
	 * is configured (then nothing is known of unregistered DNs).
	 */
	public boolean admits(String dn) {
		return dns.isEmpty() || dns.contains(dn);
	}

	/** In DN order. */
	public Set<String> all() {
		return dns;
	}

	private static void expandRange(String entry, int dash, Set<String> into) {
		String first = entry.substring(0, dash);
		String last = entry.substring(dash + 1);
		if (first.length() != last.length()) {
			throw new IllegalArgumentException(
					"signaling.dn.directory range " + entry + ": both ends must have the same number of digits");
		}
		long from = Long.parseLong(first);
		long to = Long.parseLong(last);
		if (to < from || to - from >= MAX_SIZE) {
			throw new IllegalArgumentException("signaling.dn.directory range " + entry + " is empty or too large");
		}
		String format = "%0" + first.length() + "d";
		for (long n = from; n <= to; n++) {
			into.add(String.format(format, n));
		}
	}

}
