package org.signaling.api.webhooks.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.signaling.api.events.Event;

/**
 * A webhook subscription as stored.
 *
 * @param id "wh-" and 32 hex digits
 * @param name the configuration key of a configuration subscription; null for one made over the API
 * @param source {@link #API} or {@link #CONFIG}
 * @param url the target
 * @param eventTypes the types delivered
 * @param dns the DN filter; empty = every event of those types
 * @param secret the current HMAC key
 * @param previousSecret the key before the last rotation, still signed with until it expires
 * @param previousSecretExpiresAt when the previous key stops being used
 * @param eventCursor the last event log position turned into deliveries
 * @param createdAt when the subscription was made
 * @param updatedAt when it last changed (URL, filter, secret)
 */
public record Subscription(String id, @Nullable String name, String source, String url, Set<String> eventTypes,
		Set<String> dns, String secret, @Nullable String previousSecret, @Nullable Instant previousSecretExpiresAt,
		long eventCursor, Instant createdAt, Instant updatedAt) {

	public static final String API = "api";

	public static final String CONFIG = "config";

	/** Data members that name the DNs an event is about (see {@link #matches(Event)}). */
	static final List<String> DN_MEMBERS = List.of("dn", "from_dn", "to_dn");

	static final String DN_LIST_MEMBER = "dns";

	public Subscription {
		eventTypes = Set.copyOf(eventTypes);
		dns = Set.copyOf(dns);
	}

	public boolean isFromConfiguration() {
		return CONFIG.equals(source);
	}

	/**
	 * Whether an event goes to this subscription: its type is subscribed, and, with a DN filter, it is about one of
	 * the DNs: its subject is that DN ({@code subject_type} "dn"), or its data names it under {@code dn},
	 * {@code from_dn}, {@code to_dn} or in the list {@code dns}. Events about no DN (Genesys, backends) do not pass
	 * a DN filter.
	 */
	public boolean matches(Event event) {
		if (!eventTypes.contains(event.type())) {
			return false;
		}
		if (dns.isEmpty()) {
			return true;
		}
		if ("dn".equals(event.subjectType()) && dns.contains(event.subject())) {
			return true;
		}
		for (String member : DN_MEMBERS) {
			if (event.data().get(member) instanceof String dn && dns.contains(dn)) {
				return true;
			}
		}
		if (event.data().get(DN_LIST_MEMBER) instanceof Collection<?> listed) {
			return listed.stream().anyMatch((dn) -> dn instanceof String value && dns.contains(value));
		}
		return false;
	}

	/** The keys to sign with now: the current one, and the previous one until it expires. */
	public List<String> signingSecrets(Instant now) {
		List<String> secrets = new ArrayList<>(2);
		secrets.add(secret);
		if (previousSecret != null && previousSecretExpiresAt != null && now.isBefore(previousSecretExpiresAt)) {
			secrets.add(previousSecret);
		}
		return secrets;
	}

	/** The previous key's expiry, when it is still in use. */
	public @Nullable Instant previousSecretValidUntil(Instant now) {
		return (previousSecret != null && previousSecretExpiresAt != null && now.isBefore(previousSecretExpiresAt))
				? previousSecretExpiresAt : null;
	}

	@Override
	public String toString() {
		return "Subscription[id=" + id + ", name=" + name + ", source=" + source + ", eventTypes=" + eventTypes
				+ ", dns=" + dns + ", eventCursor=" + eventCursor + "]";
	}

}
