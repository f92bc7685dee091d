package org.signaling.api.call;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.signaling.api.shared.BackendUnavailableException;

/** Port: ends a call that Kamailio carries (a dialog), for calls the PBX does not know. */
public interface DialogControl {

	/**
	 * Ends the dialog with this SIP Call-ID ({@link ActiveCall#sipCallId()}): BYE to both parties when it is up,
	 * CANCEL while it rings. The Call-ID is only used to find the dialog in Kamailio's own list; what is sent to
	 * Kamailio comes from that list. Does not wait for the BYEs' answers; they are checked after
	 * {@code signaling.calls.hangup-timeout} all the same: a party not released is published as a
	 * {@link HangupIncomplete} and sent new BYEs until its dialog's timeout.
	 * @return false when Kamailio carries no such dialog
	 * @throws BackendUnavailableException when Kamailio cannot be asked
	 */
	boolean end(String sipCallId);

	/**
	 * Like {@link #end}, but waits up to {@code wait} for each party to answer its BYE (for a ringing dialog: for it to
	 * be gone). A "terminated" that Kamailio's RPC reports is not enough: its BYE to the callee can be skipped under
	 * load (kamailio#4268), so only the parties' own answers count. A party not released is published as a
	 * {@link HangupIncomplete} and retried, as for {@link #end}.
	 * @return empty when Kamailio carries no such dialog; else each party's release (a ringing dialog is cancelled,
	 * and both parties count as released: the caller gets its final response from Kamailio)
	 * @throws BackendUnavailableException when Kamailio cannot be asked
	 */
	Optional<List<LegRelease>> endAndConfirm(String sipCallId, Duration wait);

}
