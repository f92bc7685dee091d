package org.signaling.api.dn;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.signaling.api.dn.CallActivity.ActiveCallCounts;
import org.signaling.api.shared.Observed;
import org.springframework.stereotype.Service;

/** Answers DN questions from the live registration and call views; never calls a backend itself. */
@Service
public class DnService {

	private final RegistrationView registrationView;

	private final CallActivity callActivity;

	private final DnDirectory directory;

	private final Clock clock;

	DnService(RegistrationView registrationView, CallActivity callActivity, DnDirectory directory, Clock clock) {
		this.registrationView = registrationView;
		this.callActivity = callActivity;
		this.directory = directory;
		this.clock = clock;
	}

	/**
	 * One DN.
	 * @throws DnSyntax.InvalidDnException for a malformed DN (400)
	 * @throws DnNotFoundException when neither registered nor in the directory (404)
	 */
	public Observed<DnResponse> find(String dn) {
		DnSyntax.requireValid(dn);
		Observed<Registrations> registrations = registrationView.registrations();
		Observed<ActiveCallCounts> calls = callActivity.activeCallCounts();
		Optional<Registration> registration = registrations.value().find(dn);
		if (registration.isEmpty() && !directory.contains(dn)) {
			throw new DnNotFoundException(dn);
		}
		int activeCalls = calls.value().activeCallsOf(dn);
		DnResponse response = registration
			.map((found) -> new DnResponse(dn, availability(true, activeCalls), registrationView.sipUriOf(found.aor()),
					true, activeCalls, contactsOf(found)))
			.orElseGet(() -> new DnResponse(dn, availability(false, activeCalls), registrationView.sipUriOf(dn), false,
					activeCalls, List.of()));
		return new Observed<>(response, registrations.olderOf(calls));
	}

	/** Every registered DN, then the directory's DNs that are not registered. */
	public Observed<DnListResponse> list() {
		Observed<Registrations> registrations = registrationView.registrations();
		Observed<ActiveCallCounts> calls = callActivity.activeCallCounts();
		List<DnListResponse.Entry> entries = new ArrayList<>(registrations.value().size());
		for (Registration registration : registrations.value().all()) {
			int activeCalls = calls.value().activeCallsOf(registration.dn());
			entries.add(new DnListResponse.Entry(registration.dn(), registrationView.sipUriOf(registration.aor()),
					"registered", availability(true, activeCalls), activeCalls, registration.contacts().size()));
		}
		for (String dn : directory.all()) {
			if (registrations.value().find(dn).isEmpty()) {
				entries.add(new DnListResponse.Entry(dn, registrationView.sipUriOf(dn), "offline", "offline",
						calls.value().activeCallsOf(dn), 0));
			}
		}
		return new Observed<>(new DnListResponse(entries, entries.size()), registrations.olderOf(calls));
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
