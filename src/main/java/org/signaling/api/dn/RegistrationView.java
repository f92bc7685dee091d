package org.signaling.api.dn;

import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.Observed;

/** Port: the live view of who is registered, answered from memory. */
public interface RegistrationView {

	/**
	 * The latest registrations.
	 * @throws BackendUnavailableException when the view is older than the configured bound (Kamailio not answering)
	 */
	Observed<Registrations> registrations();

}
