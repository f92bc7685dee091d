package org.signaling.api.call;

import java.util.List;

import org.jspecify.annotations.Nullable;
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
	 * @return the Asterisk node that took the call (of {@code signaling.asterisk.nodes})
	 * @throws BackendUnavailableException "Asterisk unreachable" when no AMI session is up or it did not accept it
	 */
	@Override
	String originate(OriginateCommand command);

	/**
	 * Hangs up one channel by its Uniqueid (never a name, never a pattern) on the node that placed its call.
	 * @param node that node, as {@link #originate} named it; {@code null} (or a node no longer configured) asks
	 * every node
	 * @return false when Asterisk has no such channel
	 * @throws BackendUnavailableException when the node's AMI session is not up
	 */
	boolean hangup(@Nullable String node, String uniqueId);

	/**
	 * The channels an Asterisk node has now ({@code CoreShowChannels}), for reconciliation.
	 * @param node the node; {@code null} (or a node no longer configured): every node's channels together
	 * @throws BackendUnavailableException when a node asked is not up or its list came back incomplete
	 * @throws PbxRejectedException when Asterisk refuses the list (e.g. the AMI user lacks {@code reporting})
	 */
	List<PbxChannel> channels(@Nullable String node);

}
