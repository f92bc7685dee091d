package org.signaling.api.call.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.signaling.api.call.ActiveCall;
import org.signaling.api.call.ActiveCalls;
import org.signaling.api.call.DialogView;
import org.signaling.api.dn.CallActivity;
import org.signaling.api.dn.RegistrationView;
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

	private final RegistrationView registrationView;

	LiveCalls(DialogView dialogView, CallRegistry registry, RegistrationView registrationView) {
		this.dialogView = dialogView;
		this.registry = registry;
		this.registrationView = registrationView;
	}

	/** Oldest first; observed when the dialog view was (API calls are always current). */
	public Observed<List<ListedCall>> all() {
		Observed<ActiveCalls> dialogs = dialogView.activeCalls();
		Map<String, CallRecord> apiCalls = new HashMap<>();
		for (CallRecord call : registry.live()) {
			apiCalls.put(call.callId(), call);
		}
		Map<String, ActiveCall> dialogOfApiCall = new HashMap<>();
		List<ListedCall> listed = new ArrayList<>();
		for (ActiveCall dialog : dialogs.value().all()) {
			String apiCallId = dialog.apiCallId();
			if (apiCallId != null && apiCalls.containsKey(apiCallId)) {
				dialogOfApiCall.putIfAbsent(apiCallId, dialog);
				continue;
			}
			listed.add(new ListedCall(dialog.listedCallId(), dialog.fromUri(),
					dialog.toUri(), dialog.fromDn(), dialog.state(), dialog.createdAt(), dialog.answeredAt(),
					dialog.dialogId(), dialog.dns()));
		}
		for (CallRecord call : apiCalls.values()) {
			ActiveCall dialog = dialogOfApiCall.get(call.callId());
			listed.add(new ListedCall(call.callId(), registrationView.sipUriOf(call.fromDn()),
					registrationView.sipUriOf(call.destination()), call.fromDn(), call.status(),
					call.createdAt(), call.answeredAt(), (dialog != null) ? dialog.dialogId() : null,
					call.dns()));
		}
		listed.sort(Comparator.comparing(ListedCall::createdAt));
		return new Observed<>(List.copyOf(listed), dialogs.observedAt());
	}

	/** The same calls per DN. */
	public Observed<Map<String, List<ListedCall>>> byDn() {
		return all().map((calls) -> {
			Map<String, List<ListedCall>> index = new LinkedHashMap<>();
			for (ListedCall call : calls) {
				call.dns().forEach((dn) -> index.computeIfAbsent(dn, (key) -> new ArrayList<>()).add(call));
			}
			return index;
		});
	}

	@Override
	public Observed<ActiveCallCounts> activeCallCounts() {
		return byDn().map((index) -> (dn) -> index.getOrDefault(dn, List.of()).size());
	}

}
