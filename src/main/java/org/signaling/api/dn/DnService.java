package org.signaling.api.dn;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.signaling.api.dn.CallActivity.ActiveCallCounts;
import org.signaling.api.shared.CallerScope;
import org.signaling.api.shared.Observed;
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

	private final Clock clock;

	DnService(RegistrationView registrationView, CallActivity callActivity, DnDirectory directory,
			CallerScope callerScope, SipUris sipUris, Clock clock) {
		this.registrationView = registrationView;
		this.sipUris = sipUris;
		this.callActivity = callActivity;
		this.directory = directory;
		this.callerScope = callerScope;
		this.clock = clock;
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
	 * One DN.
	 * @throws DnSyntax.InvalidDnException for a malformed DN (400)
	 * @throws DnAccessDeniedException for another DN than the caller's own, when it is confined to one (403)
	 * @throws DnNotFoundException when neither registered nor in the directory (404)
	 */
	public Observed<DnResponse> find(String dn) {
		DnSyntax.requireValid(dn);
		requireVisible(dn);
		Observed<Registrations> registrations = registrationView.registrations();
		Observed<ActiveCallCounts> calls = callActivity.activeCallCounts();
		Optional<Registration> registration = registrations.value().find(dn);
		if (registration.isEmpty() && !directory.contains(dn)) {
			throw new DnNotFoundException(dn);
		}
		int activeCalls = calls.value().activeCallsOf(dn);
		DnResponse response = registration
			.map((found) -> new DnResponse(dn, availability(true, activeCalls), sipUris.of(found.aor()),
					true, activeCalls, contactsOf(found)))
			.orElseGet(() -> new DnResponse(dn, availability(false, activeCalls), sipUris.of(dn), false,
					activeCalls, List.of()));
		return new Observed<>(response, registrations.olderOf(calls));
	}

	/**
	 * Every registered DN, then the directory's DNs that are not registered; for a caller confined to its DN, that
	 * DN alone (when registered or in the directory).
	 */
	public Observed<DnListResponse> list() {
		Observed<Registrations> registrations = registrationView.registrations();
		Observed<ActiveCallCounts> calls = callActivity.activeCallCounts();
		String confined = callerScope.confinedDn();
		List<DnListResponse.Entry> entries = new ArrayList<>();
		if (confined != null) {
			Optional<Registration> own = registrations.value().find(confined);
			if (own.isPresent()) {
				entries.add(registeredEntry(own.get(), calls.value()));
			}
			else if (directory.contains(confined)) {
				entries.add(offlineEntry(confined, calls.value()));
			}
		}
		else {
			for (Registration registration : registrations.value().all()) {
				entries.add(registeredEntry(registration, calls.value()));
			}
			for (String dn : directory.all()) {
				if (registrations.value().find(dn).isEmpty()) {
					entries.add(offlineEntry(dn, calls.value()));
				}
			}
		}
		return new Observed<>(new DnListResponse(entries, entries.size()), registrations.olderOf(calls));
	}

	private DnListResponse.Entry registeredEntry(Registration registration, ActiveCallCounts calls) {
		int activeCalls = calls.activeCallsOf(registration.dn());
		return new DnListResponse.Entry(registration.dn(), sipUris.of(registration.aor()), "registered",
				availability(true, activeCalls), activeCalls, registration.contacts().size());
	}

	private DnListResponse.Entry offlineEntry(String dn, ActiveCallCounts calls) {
		return new DnListResponse.Entry(dn, sipUris.of(dn), "offline", "offline",
				calls.activeCallsOf(dn), 0);
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

	private static String availability(boolean registered, int activeCalls) {
		if (!registered) {
			return "offline";
		}
		return (activeCalls > 0) ? "busy" : "available";
	}

	private List<DnResponse.Contact> contactsOf(Registration registration) {
		Instant now = clock.instant();
		return registration.contacts()
			.stream()
			.map((contact) -> new DnResponse.Contact(contact.uri(), contact.transport(), contact.userAgent(),
					secondsUntil(contact.expiresAt(), now), contact.received()))
			.toList();
	}

	private static Long secondsUntil(Instant expiresAt, Instant now) {
		if (expiresAt == null) {
			return null;
		}
		return Math.max(0, Duration.between(now, expiresAt).toSeconds());
	}

}
