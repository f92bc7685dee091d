package org.signaling.api.dn;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Whether a registered contact answers: the one rule behind {@code reachable}, the {@code unreachable} availability
 * and the {@code dn.unreachable} / {@code dn.reachable} events. Kamailio probes every SIP contact with OPTIONS (usrloc
 * {@code ka_mode}) and records the time of the last answer or REGISTER (Last-Keepalive); a contact silent for
 * {@code unreachableAfter} no longer answers. WebSocket contacts are not probed (usrloc's probe does not reach them):
 * Kamailio removes them as soon as their connection closes, resets or stops answering TCP keepalives, so while they
 * are there, they are reachable. The answer's time is Kamailio's clock and {@code observedAt} this service's: both
 * hosts keep time (NTP).
 *
 * @param unreachableAfter silence after which a contact is unreachable; zero turns the verdict off (every contact is
 * reachable), for a Kamailio that does not probe
 */
public record Reachability(Duration unreachableAfter) {

	/** {@code signaling.dn.unreachable-after}'s default: three missed probes at usrloc's 10 s timer. */
	public static final Duration DEFAULT_UNREACHABLE_AFTER = Duration.ofSeconds(30);

	/** The rule with the default bound. */
	public static final Reachability DEFAULT = new Reachability(DEFAULT_UNREACHABLE_AFTER);

	/**
	 * @param transport the contact's transport ("udp", "ws", ...)
	 * @param lastAnswer when Kamailio last heard from the contact; null when it does not say
	 * @param observedAt when Kamailio was asked
	 */
	public boolean reachable(String transport, @Nullable Instant lastAnswer, Instant observedAt) {
		if (unreachableAfter.isZero() || lastAnswer == null || "ws".equals(transport) || "wss".equals(transport)) {
			return true;
		}
		return Duration.between(lastAnswer, observedAt).compareTo(unreachableAfter) < 0;
	}

}
