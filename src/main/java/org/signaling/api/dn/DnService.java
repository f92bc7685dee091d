package org.signaling.api.dn;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.signaling.api.dn.CallActivity.ActiveCallCounts;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.CallerScope;
import org.springframework.stereotype.Service;

/**
 * Answers DN questions from the live registration and call views; never calls a backend itself. An agent token
 * confined to its DN ({@link CallerScope}) sees that DN only: another is 403, and the list holds its own alone.
 */
@Service
public class DnService {

	private final RegistrationView registrationView;

	private final CallActivity callActivity;

	private final DnDirectory directory;

	private final CallerScope callerScope;

	private final SipUris sipUris;

	DnService(RegistrationView registrationView, CallActivity callActivity, DnDirectory directory,
			CallerScope callerScope, SipUris sipUris) {
		this.registrationView = registrationView;
		this.sipUris = sipUris;
		this.callActivity = callActivity;
		this.directory = directory;
		this.callerScope = callerScope;
	}

	/**
	 * Refuses a caller confined to another DN, whether or not {@code dn} exists.
	 * @throws DnAccessDeniedException 403 for an agent token asking about a DN other than its own
	 */
	public void requireVisible(String dn) {
		String confined = callerScope.confinedDn();
		if (confined != null && !confined.equals(dn)) {
			throw new DnAccessDeniedException(confined);
		}
	}

	/**
	 * One DN, as {@code registrations} and {@code calls} show it at {@code now} (contacts' remaining seconds). The
	 * caller has checked the DN's syntax and that it may see it.
	 * @throws DnNotFoundException when neither registered nor in the directory (404)
	 */
	DnResponse find(String dn, Registrations registrations, ActiveCallCounts calls, Instant now) {
		Optional<Registration> registration = registrations.find(dn);
		if (registration.isEmpty() && !directory.contains(dn)) {
			throw new DnNotFoundException(dn);
		}
		int activeCalls = calls.activeCallsOf(dn);
		return registration
			.map((found) -> new DnResponse(dn, availability(found, activeCalls), sipUris.of(found.aor()), true,
					activeCalls, contactsOf(found, now), found.reachable()))
			.orElseGet(() -> new DnResponse(dn, availability(null, activeCalls), sipUris.of(dn), false, activeCalls,
					List.of(), false));
	}

	/**
	 * One DN as a routing answer ({@link RoutingAnswer}), without its age; an unknown DN is an answer too. The caller
	 * has checked the DN's syntax and that it may see it.
	 */
	RoutingAnswer route(String dn, Registrations registrations, ActiveCallCounts calls) {
		Optional<Registration> registration = registrations.find(dn);
		int activeCalls = calls.activeCallsOf(dn);
		if (registration.isEmpty()) {
			boolean known = directory.contains(dn);
			return new RoutingAnswer(dn, known, false, false, false, false, known ? "offline" : "unknown", activeCalls,
					0, sipUris.of(dn), "", known ? RoutingAnswer.NOT_REGISTERED : RoutingAnswer.NOT_FOUND, 0, 0, 1);
		}
		String sipUri = sipUris.of(registration.get().aor());
		boolean busy = activeCalls > 0;
		boolean reachable = registration.get().reachable();
		boolean available = reachable && !busy;
		String reason = !reachable ? RoutingAnswer.UNREACHABLE : busy ? RoutingAnswer.BUSY : RoutingAnswer.OK;
		return new RoutingAnswer(dn, true, true, reachable, available, busy,
				availability(registration.get(), activeCalls), activeCalls, registration.get().contacts().size(),
				sipUri, available ? sipUri : "", reason, 0, 0, 1);
	}

	/** The routing answer while Kamailio cannot be asked: nothing is known of the DN but its address. */
	RoutingAnswer kamailioUnreachable(String dn) {
		return new RoutingAnswer(dn, false, false, false, false, false, "unknown", 0, 0, sipUris.of(dn), "",
				RoutingAnswer.KAMAILIO_UNREACHABLE, 0, BackendUnavailableException.RETRY_AFTER_SECONDS, 0);
	}

	/**
	 * Every registered DN, then the directory's DNs that are not registered; for a caller confined to a DN
	 * ({@code confined}), that DN's entry alone (when registered or in the directory), never the whole list.
	 */
	DnListResponse list(Registrations registrations, ActiveCallCounts calls, @Nullable String confined) {
		List<DnListResponse.Entry> entries = new ArrayList<>();
		if (confined != null) {
			Optional<Registration> own = registrations.find(confined);
			if (own.isPresent()) {
				entries.add(registeredEntry(own.get(), calls));
			}
			else if (directory.contains(confined)) {
				entries.add(offlineEntry(confined, calls));
			}
		}
		else {
			for (Registration registration : registrations.all()) {
				entries.add(registeredEntry(registration, calls));
			}
			for (String dn : directory.all()) {
				if (registrations.find(dn).isEmpty()) {
					entries.add(offlineEntry(dn, calls));
				}
			}
		}
		return new DnListResponse(entries, entries.size());
	}

	private DnListResponse.Entry registeredEntry(Registration registration, ActiveCallCounts calls) {
		int activeCalls = calls.activeCallsOf(registration.dn());
		return new DnListResponse.Entry(registration.dn(), sipUris.of(registration.aor()), "registered",
				availability(registration, activeCalls), activeCalls, registration.contacts().size(),
				registration.reachable());
	}

	private DnListResponse.Entry offlineEntry(String dn, ActiveCallCounts calls) {
		return new DnListResponse.Entry(dn, sipUris.of(dn), "offline", "offline",
				calls.activeCallsOf(dn), 0, false);
	}

	/**
	 * Whether a DN is registered in Kamailio now (has a live contact).
	 * @throws org.signaling.api.shared.BackendUnavailableException when registrations cannot be known
	 */
	public boolean isRegistered(String dn) {
		return registrationView.registrations().value().find(dn).isPresent();
	}

	/**
	 * Whether a DN is one we know: registered or in the directory.
	 * @throws org.signaling.api.shared.BackendUnavailableException when registrations cannot be known
	 */
	public boolean isKnown(String dn) {
		return directory.contains(dn) || registrationView.registrations().value().find(dn).isPresent();
	}

	/**
	 * A DN's availability: "offline" (not registered), "unreachable" (no contact answers: a call would ring nowhere,
	 * whatever its calls), "busy" or "available".
	 */
	static String availability(@Nullable Registration registration, int activeCalls) {
		return availability(registration != null, registration != null && registration.reachable(), activeCalls > 0);
	}

	/** The same rule for what an event announces of a DN ({@link DnStatusEvents}). */
	static String availability(boolean registered, boolean reachable, boolean busy) {
		if (!registered) {
			return "offline";
		}
		if (!reachable) {
			return "unreachable";
		}
		return busy ? "busy" : "available";
	}

	private static List<DnResponse.Contact> contactsOf(Registration registration, Instant now) {
		return registration.contacts()
			.stream()
			.map((contact) -> new DnResponse.Contact(contact.uri(), contact.transport(), contact.userAgent(),
					secondsUntil(contact.expiresAt(), now), contact.received(), contact.reachable()))
			.toList();
	}

	private static Long secondsUntil(Instant expiresAt, Instant now) {
		if (expiresAt == null) {
			return null;
		}
		return Math.max(0, Duration.between(now, expiresAt).toSeconds());
	}

}
