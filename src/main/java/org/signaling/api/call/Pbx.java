package org.signaling.api.call;

import java.util.List;

import org.signaling.api.shared.BackendUnavailableException;

/**
 * Port: the PBX (Asterisk, over AMI) that places and ends the calls this API makes. Progress is reported
 * asynchronously as {@link PbxEvent}s published as application events.
 */
public interface Pbx extends CallOriginator {

	/** Asterisk is an originator too: {@value CallOriginator#ASTERISK}. */
	@Override
	default String name() {
		return ASTERISK;
	}

	/**
	 * Queues an asynchronous originate: first the agent's leg ({@code command.agentDn()}, through Kamailio), then,
	 * once the agent answers, the destination. The agent leg's Uniqueid is the call id, every other leg's Linkedid too.
	 * @throws BackendUnavailableException "Asterisk unreachable" when the AMI session is not up or did not accept it
	 */
	@Override
	void originate(OriginateCommand command);

	/**
	 * Hangs up one channel by its Uniqueid (never a name, never a pattern).
	 * @return false when Asterisk has no such channel
	 * @throws BackendUnavailableException when the AMI session is not up
	 */
	boolean hangup(String uniqueId);

	/**
	 * The channels Asterisk has now ({@code CoreShowChannels}), for reconciliation.
	 * @throws BackendUnavailableException when the AMI session is not up or the list came back incomplete
	 * @throws PbxRejectedException when Asterisk refuses the list (e.g. the AMI user lacks {@code reporting})
	 */
	List<PbxChannel> channels();

}
