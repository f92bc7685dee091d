package org.signaling.api.call.internal;

import java.util.List;
import java.util.Optional;

import org.signaling.api.call.ActiveCall;
import org.signaling.api.call.DialogView;

/** Looks up the dialogs Kamailio carries now by the ids the API shows. */
final class LiveDialogs {

	private LiveDialogs() {
	}

	/** A dialog by its SIP Call-ID or by the API call id it carries. */
	static Optional<ActiveCall> find(DialogView view, String callId) {
		return view.activeCalls()
			.value()
			.all()
			.stream()
			.filter((dialog) -> callId.equals(dialog.callId()) || callId.equals(dialog.apiCallId()))
			.findFirst();
	}

	/** The dialogs of an API call: a click-to-dial has up to two. */
	static List<ActiveCall> ofApiCall(DialogView view, String callId) {
		return view.activeCalls().value().all().stream().filter((dialog) -> callId.equals(dialog.apiCallId())).toList();
	}

}
