package org.signaling.api.dn;

import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.Observed;

/** Port: how many active calls each DN is in right now. Implemented by the call module. */
public interface CallActivity {

	/**
	 * The latest counts.
	 * @throws BackendUnavailableException when call state cannot be known
	 */
	Observed<ActiveCallCounts> activeCallCounts();

	/** Active calls per DN; DNs without calls are absent. */
	interface ActiveCallCounts {

		int activeCallsOf(String dn);

	}

}
