package org.signaling.api.events.internal;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.signaling.api.events.Event;

/**
 * Which events a stream wants: by DN (the event's subject, or a DN named in its data: {@code dn}, {@code from_dn},
 * {@code dns}), by call id, by type (exact, or a family such as {@code call.*}). Empty criteria match everything.
 * A stream confined to a DN (an agent token's) gets, whatever else it asks for, only that DN's events and those of
 * the calls its DN is in: never another DN's, nor Genesys or backend events.
 */
record EventFilter(Set<String> dns, Set<String> callIds, Set<String> types, @Nullable String confinedDn) {

	EventFilter(Set<String> dns, Set<String> callIds, Set<String> types) {
		this(dns, callIds, types, null);
	}

	boolean matches(Event event) {
		return (confinedDn == null || concerns(event, confinedDn))
				&& (dns.isEmpty() || dns.stream().anyMatch((dn) -> involves(event, dn)))
				&& (callIds.isEmpty() || ("call".equals(event.subjectType()) && callIds.contains(event.subject())))
				&& (types.isEmpty() || types.stream().anyMatch((type) -> typeMatches(type, event.type())));
	}

	// Only DN and call events are about an agent; a Genesys or backend event is about the whole plant even when
	// its data happens to carry a field named like a DN.
	private static boolean concerns(Event event, String dn) {
		return ("dn".equals(event.subjectType()) || "call".equals(event.subjectType())) && involves(event, dn);
	}

	private static boolean involves(Event event, String dn) {
		if ("dn".equals(event.subjectType())) {
			return dn.equals(event.subject());
		}
		return dn.equals(event.data().get("dn")) || dn.equals(event.data().get("from_dn"))
				|| contains(event.data().get("dns"), dn);
	}

	private static boolean contains(@Nullable Object values, String dn) {
		return values instanceof Collection<?> collection && collection.contains(dn);
	}

	private static boolean typeMatches(String wanted, String type) {
		return wanted.endsWith(".*") ? type.startsWith(wanted.substring(0, wanted.length() - 1)) : wanted.equals(type);
	}

	static Set<String> split(@Nullable String commaSeparated) {
		if (commaSeparated == null || commaSeparated.isBlank()) {
			return Set.of();
		}
		return Set.copyOf(List.of(commaSeparated.split(",")).stream().map(String::trim).filter((s) -> !s.isEmpty())
				.toList());
	}

}
