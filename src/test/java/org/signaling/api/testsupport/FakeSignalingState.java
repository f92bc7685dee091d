package org.signaling.api.testsupport;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.signaling.api.call.ActiveCall;
import org.signaling.api.call.ActiveCalls;
import org.signaling.api.call.CallState;
import org.signaling.api.call.DialogView;
import org.signaling.api.dn.RegisteredContact;
import org.signaling.api.dn.Registration;
import org.signaling.api.dn.RegistrationView;
import org.signaling.api.dn.Registrations;
import org.signaling.api.genesys.DispatcherView;
import org.signaling.api.genesys.ProbeTarget;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.Observed;

/**
 * Stands in for the Kamailio adapter in feature tests: registrations, calls and dispatcher probes a test sets by
 * hand, observed at a chosen instant, or "Kamailio unreachable".
 */
public final class FakeSignalingState implements RegistrationView, DialogView, DispatcherView {

	public static final String SIP_DOMAIN = "192.168.210.54";

	private final Clock clock;

	private final List<Registration> registrations = new ArrayList<>();

	private final List<ActiveCall> calls = new ArrayList<>();

	private final Map<Integer, List<ProbeTarget>> dispatcherSets = new LinkedHashMap<>();

	private Instant observedAt;

	private boolean unreachable;

	public FakeSignalingState(Clock clock) {
		this.clock = clock;
		this.observedAt = clock.instant();
	}

	public FakeSignalingState register(String dn, String contact, String transport) {
		registrations.add(new Registration(dn, dn, List.of(new RegisteredContact(contact, transport,
				"SIPp-agent-" + dn, clock.instant().plusSeconds(3600), null))));
		return this;
	}

	public FakeSignalingState call(String callId, String fromDn, String toDn, CallState state, Instant createdAt,
			Instant answeredAt) {
		return genesysCall(callId, fromDn, toDn, state, createdAt, answeredAt, null);
	}

	/** A call Kamailio carries whose INVITE came from the Genesys SIP Server with this X-Genesys-CallUUID. */
	public FakeSignalingState genesysCall(String callId, String fromDn, String toDn, CallState state,
			Instant createdAt, Instant answeredAt, String genesysCallUuid) {
		calls.add(new ActiveCall(callId, "100:" + (calls.size() + 1), "sip:" + fromDn + "@" + SIP_DOMAIN,
				"sip:" + toDn + "@" + SIP_DOMAIN, state, createdAt, answeredAt, fromDn, Set.of(fromDn, toDn), null,
				callId, genesysCallUuid));
		return this;
	}

	/** A dialog of a call the API placed: it carries the API's call id (X-Call-Id in Kamailio). */
	public FakeSignalingState apiCallDialog(String sipCallId, String apiCallId, String callerDn, String agentDn,
			CallState state, Instant createdAt) {
		calls.add(new ActiveCall(apiCallId, "200:" + (calls.size() + 1), "sip:" + callerDn + "@" + SIP_DOMAIN,
				"sip:" + agentDn + "@" + SIP_DOMAIN, state, createdAt,
				(state == CallState.CONFIRMED) ? createdAt : null, callerDn, Set.of(callerDn, agentDn), apiCallId,
				sipCallId, null));
		return this;
	}

	public FakeSignalingState probe(int set, String uri, String flags) {
		dispatcherSets.computeIfAbsent(set, (key) -> new ArrayList<>()).add(new ProbeTarget(uri, flags));
		return this;
	}

	/** The DN's contacts stop answering Kamailio's probes ({@code answering} false) or answer again. */
	public FakeSignalingState answering(String dn, boolean answering) {
		for (int i = 0; i < registrations.size(); i++) {
			Registration registration = registrations.get(i);
			if (registration.dn().equals(dn)) {
				registrations.set(i, new Registration(dn, registration.aor(), registration.contacts()
					.stream()
					.map((contact) -> new RegisteredContact(contact.uri(), contact.transport(), contact.userAgent(),
							contact.expiresAt(), contact.received(), answering))
					.toList()));
			}
		}
		return this;
	}

	public FakeSignalingState observedAt(Instant instant) {
		this.observedAt = instant;
		return this;
	}

	/** From now on every read fails as it does when the view is older than its bound. */
	public FakeSignalingState unreachable() {
		this.unreachable = true;
		return this;
	}

	/** Kamailio no longer carries this dialog. */
	public FakeSignalingState hangUp(String callId) {
		calls.removeIf((call) -> call.listedCallId().equals(callId) || call.sipCallId().equals(callId));
		return this;
	}

	/** The dialog moves on (e.g. ringing to confirmed). */
	public FakeSignalingState changeState(String callId, CallState state, Instant answeredAt) {
		for (int i = 0; i < calls.size(); i++) {
			ActiveCall call = calls.get(i);
			if (call.listedCallId().equals(callId) || call.sipCallId().equals(callId)) {
				calls.set(i, new ActiveCall(call.listedCallId(), call.dialogId(), call.fromUri(), call.toUri(), state,
						call.createdAt(), answeredAt, call.fromDn(), call.dns(), call.apiCallId(), call.sipCallId(),
						call.genesysCallUuid()));
			}
		}
		return this;
	}

	/** Kamailio can be asked again. */
	public FakeSignalingState reachable() {
		this.unreachable = false;
		return this;
	}

	/** Kamailio no longer carries any dialog. */
	public FakeSignalingState hangUpAll() {
		calls.clear();
		return this;
	}

	public void reset() {
		registrations.clear();
		calls.clear();
		dispatcherSets.clear();
		unreachable = false;
		observedAt = clock.instant();
	}

	@Override
	public Observed<Registrations> registrations() {
		return observed(new Registrations(registrations));
	}

	@Override
	public Observed<ActiveCalls> activeCalls() {
		return observed(new ActiveCalls(calls, List.of()));
	}

	@Override
	public Observed<Map<Integer, List<ProbeTarget>>> dispatcherSets() {
		return observed(Map.copyOf(dispatcherSets));
	}

	private <T> Observed<T> observed(T value) {
		if (unreachable) {
			throw new BackendUnavailableException("kamailio", "Kamailio unreachable");
		}
		return new Observed<>(value, observedAt);
	}

}
