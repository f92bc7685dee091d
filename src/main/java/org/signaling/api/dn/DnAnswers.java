package org.signaling.api.dn;

import java.time.Clock;
import java.time.Instant;

import org.signaling.api.dn.CallActivity.ActiveCallCounts;
import org.signaling.api.shared.CallerScope;
import org.signaling.api.shared.Observed;
import org.signaling.api.shared.PerChange;
import org.signaling.api.shared.ReadyJson;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * The DN answers as ready bytes, built once per change of the registrations or the calls and kept for every request
 * until the next: the whole list, each DN's entry (what an agent confined to its DN is answered from) and each DN's
 * details. Details carry their contacts' remaining seconds, so they are built at most once a second as well.
 */
@Service
class DnAnswers {

	private final DnService dnService;

	private final RegistrationView registrationView;

	private final CallActivity callActivity;

	private final CallerScope callerScope;

	private final JsonMapper json;

	private final Clock clock;

	private final PerChange<String, ReadyJson<DnListResponse>> lists = new PerChange<>();

	private final PerChange<String, ReadyJson<DnResponse>> details = new PerChange<>();

	private final PerChange<String, RoutingAnswer> routes = new PerChange<>();

	DnAnswers(DnService dnService, RegistrationView registrationView, CallActivity callActivity,
			CallerScope callerScope, JsonMapper json, Clock clock) {
		this.dnService = dnService;
		this.registrationView = registrationView;
		this.callActivity = callActivity;
		this.callerScope = callerScope;
		this.json = json;
		this.clock = clock;
	}

	/** {@link DnService#list()}, ready: every DN, or the caller's own when it is confined to one. */
	Observed<ReadyJson<DnListResponse>> list() {
		Observed<Registrations> registrations = registrationView.registrations();
		Observed<ActiveCallCounts> calls = callActivity.activeCallCounts();
		String confined = callerScope.confinedDn();
		ReadyJson<DnListResponse> ready = (confined == null)
				? lists.get(() -> ReadyJson.of(dnService.list(registrations.value(), calls.value(), null), json),
						registrations.value(), calls.value())
				: lists.get(confined,
						(dn) -> ReadyJson.of(dnService.list(registrations.value(), calls.value(), dn), json),
						registrations.value(), calls.value());
		return new Observed<>(ready, registrations.olderOf(calls));
	}

	/** {@link DnService#find(String)}, ready; the checks (syntax, visibility, existence) run on every request. */
	Observed<ReadyJson<DnResponse>> find(String dn) {
		DnSyntax.requireValid(dn);
		dnService.requireVisible(dn);
		Observed<Registrations> registrations = registrationView.registrations();
		Observed<ActiveCallCounts> calls = callActivity.activeCallCounts();
		Instant now = clock.instant();
		ReadyJson<DnResponse> ready = details.get(dn,
				(key) -> ReadyJson.of(dnService.find(key, registrations.value(), calls.value(), now), json),
				registrations.value(), calls.value(), now.getEpochSecond());
		return new Observed<>(ready, registrations.olderOf(calls));
	}

	/**
	 * {@link DnService#route}, kept per DN until the registrations or the calls change; the caller has checked the
	 * DN's syntax and visibility.
	 * @throws org.signaling.api.shared.BackendUnavailableException while Kamailio cannot be asked
	 */
	Observed<RoutingAnswer> route(String dn) {
		Observed<Registrations> registrations = registrationView.registrations();
		Observed<ActiveCallCounts> calls = callActivity.activeCallCounts();
		RoutingAnswer answer = routes.get(dn, (key) -> dnService.route(key, registrations.value(), calls.value()),
				registrations.value(), calls.value());
		return new Observed<>(answer, registrations.olderOf(calls));
	}

}
