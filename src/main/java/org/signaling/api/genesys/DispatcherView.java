package org.signaling.api.genesys;

import java.util.List;
import java.util.Map;

import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.Observed;

/** Port: the live view of Kamailio's dispatcher sets and their probe results, answered from memory. */
public interface DispatcherView {

	/**
	 * Destinations per dispatcher set id.
	 * @throws BackendUnavailableException when the view is older than the configured bound
	 */
	Observed<Map<Integer, List<ProbeTarget>>> dispatcherSets();

}
