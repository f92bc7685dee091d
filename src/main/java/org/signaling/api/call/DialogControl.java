package org.signaling.api.call;

import org.signaling.api.shared.BackendUnavailableException;

/** Port: ends a call that Kamailio carries (a dialog), for calls the PBX does not know. */
public interface DialogControl {

	/**
	 * Ends the dialog with this SIP Call-ID ({@link ActiveCall#sipCallId()}): BYE to both parties when it is up,
	 * CANCEL while it rings. The Call-ID is only used to find the dialog in Kamailio's own list; what is sent to
	 * Kamailio comes from that list.
	 * @return false when Kamailio carries no such dialog
	 * @throws BackendUnavailableException when Kamailio cannot be asked
	 */
	boolean end(String sipCallId);

}
