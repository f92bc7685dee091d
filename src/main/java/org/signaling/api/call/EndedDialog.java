package org.signaling.api.call;

/**
 * A dialog of a call this API placed that Kamailio has ended (dialog state 5, listed a few seconds before it is
 * purged). Kamailio drops a dialog's variables when it ends; the call id is then read from the To URI's
 * {@code xcid} parameter, which a click-to-dial puts on both of its dialogs.
 *
 * @param sipCallId the SIP Call-ID, bounded to printable ASCII
 * @param dialogId Kamailio's dialog id, "h_entry:h_id"
 * @param fromDn the From URI's user part ("controller" for the click-to-dial's INVITE to the agent)
 * @param toUri the To URI
 * @param answered whether it was answered before it ended
 * @param apiCallId our call id
 */
public record EndedDialog(String sipCallId, String dialogId, String fromDn, String toUri, boolean answered,
		String apiCallId) {
}
