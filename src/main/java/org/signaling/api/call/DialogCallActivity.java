package org.signaling.api.call;

import org.signaling.api.dn.CallActivity;
import org.signaling.api.shared.Observed;
import org.springframework.stereotype.Component;

/** Tells the dn module how many calls each DN is in, from the same dialog view the call endpoints use. */
@Component
class DialogCallActivity implements CallActivity {

	private final DialogView dialogView;

	DialogCallActivity(DialogView dialogView) {
		this.dialogView = dialogView;
	}

	@Override
	public Observed<ActiveCallCounts> activeCallCounts() {
		return dialogView.activeCalls().map((calls) -> calls);
	}

}
