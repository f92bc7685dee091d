package org.signaling.api.call;

import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.Observed;

/** Port: the live view of the calls Kamailio carries, answered from memory. */
public interface DialogView {

	/**
	 * The latest active calls.
	 * @throws BackendUnavailableException when the view is older than the configured bound (Kamailio not answering)
	 */
	Observed<ActiveCalls> activeCalls();

}
