package org.signaling.api.dn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.signaling.api.dn.CallActivity.ActiveCallCounts;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.EventTypes;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.CallsChanged;
import org.signaling.api.shared.Leadership;
import org.signaling.api.shared.LeadershipChanged;
import org.signaling.api.shared.SerialWork;
import org.signaling.api.shared.ViewRefreshed;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * DN changes as events: {@code dn.registered}, {@code dn.unregistered}, {@code dn.available}, {@code dn.busy},
 * {@code dn.unreachable} and {@code dn.reachable} ({@link Reachability}). A
 * leader's duty ({@link Leadership}): each term starts from what the log last announced of every DN, so a change made
 * while no replica led (a restart, a failover) is announced once, and a state already announced is not announced
 * again. From then on every change of registration or availability is one event.
 */
@Component
class DnStatusEvents implements DisposableBean {

	private final RegistrationView registrationView;

	private final CallActivity callActivity;

	private final EventLog events;

	private @Nullable Map<String, DnState> known;

	/** What {@link #known} was computed from, to skip a look at what has not changed. */
	private @Nullable Registrations lastRegistrations;

	private @Nullable ActiveCallCounts lastCalls;

	private final TransactionTemplate transactions;

	private final SipUris sipUris;

	private final Leadership leadership;

	/** Looks run here, never on the view's refresh: a database that is slow or away never stalls the view. */
	private final SerialWork looks = new SerialWork("dn-status-events", this::sync);

	DnStatusEvents(RegistrationView registrationView, CallActivity callActivity, SipUris sipUris, EventLog events,
			TransactionTemplate transactions, Leadership leadership) {
		this.leadership = leadership;
		this.registrationView = registrationView;
		this.sipUris = sipUris;
		this.callActivity = callActivity;
		this.events = events;
		this.transactions = transactions;
	}

	// Dialogs too: the baseline needs both parts, and the first full refresh ends with the dialogs.
	@EventListener
	void onViewRefreshed(ViewRefreshed refreshed) {
		if (ViewRefreshed.REGISTRATIONS.equals(refreshed.part()) || ViewRefreshed.DIALOGS.equals(refreshed.part())) {
			looks.request();
		}
	}

	@EventListener
	void onCallsChanged(CallsChanged changed) {
		looks.request();
	}

	@Override
	public void destroy() {
		looks.close();
	}

	/** A new term starts from the log, an ended one forgets what it knew: another replica may announce meanwhile. */
	@EventListener
	void onLeadershipChanged(LeadershipChanged changed) {
		synchronized (this) {
			known = null;
			lastRegistrations = null;
			lastCalls = null;
		}
		sync();
	}

	synchronized void sync() {
		if (!leadership.isLeader()) {
			return;
		}
		Registrations registrations;
		ActiveCallCounts calls;
		try {
			registrations = registrationView.registrations().value();
			calls = callActivity.activeCallCounts().value();
		}
		catch (BackendUnavailableException ex) {
			return;
		}
		if (registrations == lastRegistrations && calls == lastCalls) {
			// The view keeps an unchanged part's object: nothing to compare, at any number of agents.
			return;
		}
		Map<String, DnState> now = new HashMap<>();
		for (Registration registration : registrations.all()) {
			int active = calls.activeCallsOf(registration.dn());
			now.put(registration.dn(), new DnState(true, registration.reachable(), active > 0,
					sipUris.of(registration.aor()), registration.contacts().size(), active));
		}
		Map<String, DnState> before = (known != null) ? known : lastAnnounced();
		List<Announcement> changes = changes(before, now);
		if (!changes.isEmpty()) {
			// All of one change commit together, and the baseline moves only once they have: a database failure
			// leaves the same change to be announced at the next look.
			transactions.executeWithoutResult((status) -> {
				leadership.confirm();
				changes.forEach((change) -> append(change.type(), change.dn(), change.state()));
			});
		}
		known = now;
		lastRegistrations = registrations;
		lastCalls = calls;
	}

	private static List<Announcement> changes(Map<String, DnState> before, Map<String, DnState> now) {
		List<Announcement> changes = new ArrayList<>();
		Set<String> dns = new LinkedHashSet<>(before.keySet());
		dns.addAll(now.keySet());
		for (String dn : dns) {
			DnState was = before.get(dn);
			DnState is = now.get(dn);
			if (Objects.equals(was, is)) {
				continue;
			}
			if (is == null) {
				DnState gone = new DnState(false, false, false, was.sipUri(), 0, 0);
				changes.add(new Announcement(EventTypes.DN_UNREGISTERED, dn, gone));
				continue;
			}
			if (was == null) {
				changes.add(new Announcement(EventTypes.DN_REGISTERED, dn, is));
			}
			boolean wasBusy = was != null && was.busy();
			if (wasBusy != is.busy()) {
				changes.add(new Announcement(is.busy() ? EventTypes.DN_BUSY : EventTypes.DN_AVAILABLE, dn, is));
			}
			// a new DN is presumed reachable: only one that does not answer is announced
			boolean wasReachable = was == null || was.reachable();
			if (wasReachable != is.reachable()) {
				changes.add(new Announcement(is.reachable() ? EventTypes.DN_REACHABLE : EventTypes.DN_UNREACHABLE, dn,
						is));
			}
		}
		return changes;
	}

	/** One event to append. */
	private record Announcement(String type, String dn, DnState state) {
	}

	/** Each DN as its latest event left it; one never announced, or announced offline, is absent. */
	private Map<String, DnState> lastAnnounced() {
		Map<String, DnState> announced = new HashMap<>();
		events.latestBySubject("dn").forEach((dn, event) -> {
			Map<String, Object> data = event.data();
			if (Boolean.TRUE.equals(data.get("registered"))) {
				// events from before reachability have no "reachable": those DNs were announced reachable
				boolean reachable = !Boolean.FALSE.equals(data.get("reachable"));
				boolean busy = (data.get("active_call_count") instanceof Number count) ? count.intValue() > 0
						: "busy".equals(data.get("status"));
				announced.put(dn, new DnState(true, reachable, busy,
						String.valueOf(data.getOrDefault("sip_uri", "")), 0, 0));
			}
		});
		return announced;
	}

	private void append(String type, String dn, DnState state) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("dn", dn);
		data.put("status", DnService.availability(state.registered(), state.reachable(), state.busy()));
		data.put("registered", state.registered());
		data.put("reachable", state.reachable());
		data.put("sip_uri", state.sipUri());
		data.put("contact_count", state.contacts());
		data.put("active_call_count", state.activeCalls());
		events.append(type, "dn", dn, data);
	}

	/** What is announced about a DN; contact count changes alone are not an event. */
	private record DnState(boolean registered, boolean reachable, boolean busy, String sipUri, int contacts,
			int activeCalls) {

		@Override
		public boolean equals(Object other) {
			return other instanceof DnState state && state.registered == registered && state.reachable == reachable
					&& state.busy == busy;
		}

		@Override
		public int hashCode() {
			return Objects.hash(registered, reachable, busy);
		}

	}

}
