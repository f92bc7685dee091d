package org.signaling.api.call.internal;

import java.util.List;
import java.util.Optional;

import org.signaling.api.call.ActiveCall;
import org.signaling.api.call.DialogView;

/** Looks up the dialogs Kamailio carries now by the ids the API shows. */
final class LiveDialogs {

	private LiveDialogs() {
	}

	/** A dialog by the id it is listed by (its API call id, else its bounded SIP Call-ID). */
	static Optional<ActiveCall> find(DialogView view, String callId) {
		return view.activeCalls()
			.value()
			.all()
			.stream()
			.filter((dialog) -> callId.equals(dialog.listedCallId()))
			.findFirst();
	}

	/** The dialogs of an API call: a click-to-dial has up to two. */
	static List<ActiveCall> ofApiCall(DialogView view, String callId) {
		return view.activeCalls().value().all().stream().filter((dialog) -> callId.equals(dialog.apiCallId())).toList();
	}

}
