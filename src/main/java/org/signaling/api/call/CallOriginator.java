package org.signaling.api.call;

import org.jspecify.annotations.Nullable;
import org.signaling.api.shared.BackendUnavailableException;

/**
 * Port: what places the calls this API makes ({@code signaling.calls.originator}). {@value #ASTERISK}: an AMI
 * Originate, whose progress comes back as {@link PbxEvent}s. {@value #KAMAILIO}: Kamailio's click-to-dial
 * ({@code dlg.bridge_dlg}), whose progress is read from Kamailio's dialogs, which carry the call id.
 */
public interface CallOriginator {

	/** Asterisk over AMI (the default). */
	String ASTERISK = "asterisk";

	/** Kamailio's dialog module, no PBX. */
	String KAMAILIO = "kamailio";

	/** {@value #ASTERISK} or {@value #KAMAILIO}: the value of {@code signaling.calls.originator} that selects it. */
	String name();

	/**
	 * Starts the call and returns at once: first the agent ({@code command.agentDn()}), then the destination.
	 * @return the node that took the call and must end it ({@link Pbx#hangup}), or {@code null} when the originator
	 * has no such notion (Kamailio: any node of a pair ends any dialog)
	 * @throws BackendUnavailableException when the backend cannot be reached or did not accept it
	 * @throws PbxRejectedException when Asterisk refuses the originate
	 */
	@Nullable String originate(OriginateCommand command);

}
