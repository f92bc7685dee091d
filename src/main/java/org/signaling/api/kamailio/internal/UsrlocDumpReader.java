package org.signaling.api.kamailio.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.signaling.api.dn.Reachability;
import org.signaling.api.dn.RegisteredContact;
import org.signaling.api.dn.Registration;
import org.signaling.api.dn.Registrations;
import tools.jackson.databind.JsonNode;

/**
 * Reads the result of {@code ul.dump}:
 * {@code {Domains:[{Domain:{Domain:"location", AoRs:[{Info:{AoR, Contacts:[{Contact:{Address, Expires, ...}}]}}]}}]}}.
 * Kamailio reports {@code Expires} as seconds remaining (or "permanent", "expired", "deleted") and unset values as
 * the string "[not set]". AoRs, contacts and User-Agents come from whoever sent the REGISTER: an AoR whose user is
 * not a DN is not a registration this API can answer for (skipped), and every other value goes through
 * {@link SipValues}.
 */
final class UsrlocDumpReader {

	private static final String NOT_SET = "[not set]";

	private static final Set<String> TRANSPORTS = Set.of("udp", "tcp", "tls", "ws", "wss", "sctp");

	private final String locationTable;

	private final Reachability reachability;

	UsrlocDumpReader(String locationTable, Reachability reachability) {
		this.locationTable = locationTable;
		this.reachability = reachability;
	}

	UsrlocDumpReader(String locationTable) {
		this(locationTable, Reachability.DEFAULT);
	}

	/**
	 * @param observedAt when the dump was asked for; remaining seconds are turned into instants from it
	 */
	Registrations read(JsonNode result, Instant observedAt) {
		return new Registrations(readTable(result, observedAt).registrations().values());
	}

	/**
	 * A dump's registrations by AoR as Kamailio reports it (the key {@code ul.lookup} takes), and every AoR the table
	 * holds (the count usrloc's statistics report). AoRs that are not a DN's and AoRs without a live contact have no
	 * registration.
	 */
	Table readTable(JsonNode result, Instant observedAt) {
		JsonNode domains = result.path("Domains");
		if (!domains.isArray()) {
			throw KamailioRpcException.protocol("ul.dump", "no Domains array");
		}
		Map<String, Registration> registrations = new LinkedHashMap<>();
		Set<String> aors = new HashSet<>();
		for (JsonNode domainEntry : domains) {
			JsonNode domain = domainEntry.path("Domain");
			if (!locationTable.equals(domain.path("Domain").asString(""))) {
				continue;
			}
			for (JsonNode aorEntry : domain.path("AoRs")) {
				JsonNode info = aorEntry.path("Info");
				String aor = info.path("AoR").asString("");
				aors.add(aor);
				Registration registration = registrationOf(info, observedAt);
				if (registration != null) {
					registrations.put(aor, registration);
				}
			}
		}
		return new Table(registrations, aors);
	}

	/**
	 * @param registrations by AoR
	 * @param aors every AoR in the table, whatever its user and whether or not a contact of it is live
	 */
	record Table(Map<String, Registration> registrations, Set<String> aors) {
	}

	/**
	 * Reads the result of {@code ul.lookup <table> <aor>}: {@code {AoR, Contacts:[{Contact:{...}}]}}, the same shape
	 * as one AoR of a dump. Null when the AoR is not a DN's or has no live contact left.
	 */
	@Nullable Registration readLookup(JsonNode result, Instant observedAt) {
		if (!result.isObject()) {
			throw KamailioRpcException.protocol("ul.lookup", "not an object");
		}
		return registrationOf(result, observedAt);
	}

	private @Nullable Registration registrationOf(JsonNode info, Instant observedAt) {
		String aor = info.path("AoR").asString("");
		String dn = SipValues.dn(userOf(aor));
		if (dn.isEmpty()) {
			return null;
		}
		List<RegisteredContact> contacts = new ArrayList<>();
		for (JsonNode contactEntry : info.path("Contacts")) {
			RegisteredContact contact = contactOf(contactEntry.path("Contact"), observedAt);
			if (contact != null) {
				contacts.add(contact);
			}
		}
		return contacts.isEmpty() ? null : new Registration(dn, SipValues.uri(aor), contacts);
	}

	private @Nullable RegisteredContact contactOf(JsonNode contact, Instant observedAt) {
		String address = textOrNull(contact.path("Address"));
		if (address == null) {
			return null;
		}
		JsonNode expires = contact.path("Expires");
		Instant expiresAt;
		if (expires.isNumber()) {
			expiresAt = observedAt.plusSeconds(expires.asLong(0));
		}
		else if ("permanent".equals(expires.asString(""))) {
			expiresAt = null;
		}
		else {
			// "expired" or "deleted": Kamailio has not purged it yet, but it no longer routes.
			return null;
		}
		String received = textOrNull(contact.path("Received"));
		String socket = contact.path("Socket").asString("");
		String userAgent = textOrNull(contact.path("User-Agent"));
		String transport = transportOf(address, received, socket);
		return new RegisteredContact(SipValues.uri(address), transport,
				(userAgent != null) ? SipValues.text(userAgent) : null, expiresAt,
				(received != null) ? SipValues.uri(received) : null,
				reachability.reachable(transport, lastAnswerOf(contact), observedAt));
	}

	/**
	 * Last-Keepalive: when the contact last answered usrloc's probe or registered (Unix seconds, Kamailio's clock).
	 * Null when absent or not a plausible time: a contact is then not judged.
	 */
	private static @Nullable Instant lastAnswerOf(JsonNode contact) {
		JsonNode seconds = contact.path("Last-Keepalive");
		if (!seconds.isIntegralNumber() || seconds.asLong() <= 0) {
			return null;
		}
		return Instant.ofEpochSecond(seconds.asLong());
	}

	/** "5001" for "5001" and for "5001@example.com" (use_domain on). */
	static String userOf(String aor) {
		int at = aor.indexOf('@');
		return (at >= 0) ? aor.substring(0, at) : aor;
	}

	/**
	 * The contact URI's transport parameter wins (browsers register ";transport=ws" over a TCP socket); then the
	 * address Kamailio received from; then the protocol of the socket the REGISTER arrived on. Only a transport SIP
	 * knows is reported; anything else a contact claims is "other".
	 */
	static String transportOf(String address, @Nullable String received, String socket) {
		String fromAddress = transportParameter(address);
		if (fromAddress != null) {
			return known(fromAddress);
		}
		String fromReceived = (received != null) ? transportParameter(received) : null;
		if (fromReceived != null) {
			return known(fromReceived);
		}
		int colon = socket.indexOf(':');
		return (colon > 0) ? known(socket.substring(0, colon).toLowerCase(Locale.ROOT)) : "udp";
	}

	private static String known(String transport) {
		return TRANSPORTS.contains(transport) ? transport : "other";
	}

	private static @Nullable String transportParameter(String uri) {
		String lower = uri.toLowerCase(Locale.ROOT);
		int at = lower.indexOf(";transport=");
		if (at < 0) {
			return null;
		}
		String value = lower.substring(at + ";transport=".length());
		int end = 0;
		while (end < value.length() && Character.isLetter(value.charAt(end))) {
			end++;
		}
		return (end > 0) ? value.substring(0, end) : null;
	}

	private static @Nullable String textOrNull(JsonNode node) {
		if (!node.isString()) {
			return null;
		}
		String text = node.asString();
		return (text.isEmpty() || NOT_SET.equals(text)) ? null : text;
	}

}
