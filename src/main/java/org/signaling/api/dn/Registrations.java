package org.signaling.api.dn;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** All registrations in one snapshot of Kamailio's location table, indexed by DN. */
public final class Registrations {

	/** Numeric-looking DNs sort as numbers ("999" before "5001"), others alphabetically. */
	static final Comparator<String> DN_ORDER = Comparator.comparingInt(String::length)
		.thenComparing(Comparator.naturalOrder());

	private final Map<String, Registration> byDn;

	public Registrations(Collection<Registration> registrations) {
		Map<String, Registration> index = new LinkedHashMap<>();
		registrations.stream()
			.sorted(Comparator.comparing(Registration::dn, DN_ORDER))
			.forEach((registration) -> index.merge(registration.dn(), registration, Registrations::combine));
		this.byDn = index;
	}

	public static Registrations none() {
		return new Registrations(List.of());
	}

	public Optional<Registration> find(String dn) {
		return Optional.ofNullable(byDn.get(dn));
	}

	/** In DN order. */
	public Collection<Registration> all() {
		return byDn.values();
	}

	public int size() {
		return byDn.size();
	}

	// The same user can appear under two domains when use_domain is on; one DN, all contacts.
	private static Registration combine(Registration first, Registration second) {
		List<RegisteredContact> contacts = new ArrayList<>(first.contacts());
		contacts.addAll(second.contacts());
		return new Registration(first.dn(), first.aor(), contacts);
	}

}
