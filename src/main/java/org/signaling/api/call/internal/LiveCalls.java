package org.signaling.api.call.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.signaling.api.call.ActiveCall;
import org.signaling.api.call.ActiveCalls;
import org.signaling.api.call.DialogView;
import org.signaling.api.dn.CallActivity;
import org.signaling.api.dn.SipUris;
import org.signaling.api.shared.Observed;
import org.springframework.stereotype.Component;

/**
 * Every active call, once: the calls the API placed (live in the registry, shown from the moment they are accepted)
 * and the calls Kamailio carries. A Kamailio dialog that carries one of our call ids is that API call, not another.
 * Also tells the dn module how many calls each DN is in.
 */
@Component
public class LiveCalls implements CallActivity {

	private final DialogView dialogView;

	private final CallRegistry registry;

	private final SipUris sipUris;

	LiveCalls(DialogView dialogView, CallRegistry registry, SipUris sipUris) {
		this.dialogView = dialogView;
		this.registry = registry;
		this.sipUris = sipUris;
	}

	/** The listing of the latest change seen; rebuilt only when the dialogs or the live API calls change. */
	private volatile @Nullable Listing listing;

	/** Oldest first; observed when the dialog view was (API calls are always current). */
	public Observed<List<ListedCall>> all() {
		Observed<ActiveCalls> dialogs = dialogView.activeCalls();
		return new Observed<>(listingOf(dialogs.value()).all(), dialogs.observedAt());
	}

	/** The same calls per DN; a DN in no call is absent. */
	public Observed<Map<String, List<ListedCall>>> byDn() {
		Observed<ActiveCalls> dialogs = dialogView.activeCalls();
		return new Observed<>(listingOf(dialogs.value()).byDn(), dialogs.observedAt());
	}

	/** The listing itself: one object per change, so what is built from the counts is kept until they change. */
	@Override
	public Observed<ActiveCallCounts> activeCallCounts() {
		Observed<ActiveCalls> dialogs = dialogView.activeCalls();
		return new Observed<>(listingOf(dialogs.value()), dialogs.observedAt());
	}

	private Listing listingOf(ActiveCalls dialogs) {
		// The version is read before the calls: a change racing the build leaves a newer version, so the next read
		// rebuilds. Two readers may build the same listing at once; either result is right.
		long registryVersion = registry.liveVersion();
		Listing current = listing;
		if (current != null && current.dialogs() == dialogs && current.registryVersion() == registryVersion) {
			return current;
		}
		Listing built = build(dialogs, registryVersion);
		listing = built;
		return built;
	}

	private Listing build(ActiveCalls dialogs, long registryVersion) {
		Map<String, CallRecord> apiCalls = new HashMap<>();
		for (CallRecord call : registry.live()) {
			apiCalls.put(call.callId(), call);
		}
		Map<String, ActiveCall> dialogOfApiCall = new HashMap<>();
		List<ListedCall> listed = new ArrayList<>();
		for (ActiveCall dialog : dialogs.all()) {
			String apiCallId = dialog.apiCallId();
			if (apiCallId != null && apiCalls.containsKey(apiCallId)) {
				dialogOfApiCall.putIfAbsent(apiCallId, dialog);
				continue;
			}
			listed.add(new ListedCall(dialog.listedCallId(), dialog.fromUri(), dialog.toUri(), dialog.fromDn(),
					dialog.state(), dialog.createdAt(), dialog.answeredAt(), dialog.dialogId(), dialog.dns(),
					dialog.genesysCallUuid()));
		}
		for (CallRecord call : apiCalls.values()) {
			ActiveCall dialog = dialogOfApiCall.get(call.callId());
			listed.add(listed(call, dialog));
		}
		listed.sort(Comparator.comparing(ListedCall::createdAt));
		Map<String, List<ListedCall>> byDn = new LinkedHashMap<>();
		for (ListedCall call : listed) {
			call.dns().forEach((dn) -> byDn.computeIfAbsent(dn, (key) -> new ArrayList<>()).add(call));
		}
		byDn.replaceAll((dn, calls) -> List.copyOf(calls));
		return new Listing(dialogs, registryVersion, List.copyOf(listed), Collections.unmodifiableMap(byDn));
	}

	/** An API call as listings show it; its dialog's id and Genesys id once Kamailio carries it. */
	ListedCall listed(CallRecord call, @Nullable ActiveCall dialog) {
		return new ListedCall(call.callId(), sipUris.of(call.fromDn()), sipUris.of(call.destination()), call.fromDn(),
				call.status(), call.createdAt(), call.answeredAt(), (dialog != null) ? dialog.dialogId() : null,
				call.dns(), (dialog != null) ? dialog.genesysCallUuid() : null);
	}

	/** Every active call and the same calls per DN, built once for one dialog list and one registry version. */
	private record Listing(ActiveCalls dialogs, long registryVersion, List<ListedCall> all,
			Map<String, List<ListedCall>> byDn) implements ActiveCallCounts {

		@Override
		public int activeCallsOf(String dn) {
			List<ListedCall> calls = byDn.get(dn);
			return (calls != null) ? calls.size() : 0;
		}

	}

}
