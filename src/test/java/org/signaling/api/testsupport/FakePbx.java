package org.signaling.api.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.signaling.api.call.OriginateCommand;
import org.signaling.api.call.Pbx;
import org.signaling.api.call.PbxChannel;
import org.signaling.api.call.PbxRejectedException;
import org.signaling.api.shared.BackendUnavailableException;

/** Stands in for Asterisk in call-control tests: records what it was asked, answers as the test says. */
public final class FakePbx implements Pbx {

	/** The one Asterisk node it stands for. */
	public static final String NODE = "asterisk-1";

	@Override
	public String name() {
		return ASTERISK;
	}


	public final List<OriginateCommand> originated = new CopyOnWriteArrayList<>();

	public final List<String> hungUp = new CopyOnWriteArrayList<>();

	public final List<PbxChannel> channels = new CopyOnWriteArrayList<>();

	/** The node each hang-up and channel list was asked of, in order ("*" for every node). */
	public final List<String> askedNodes = new CopyOnWriteArrayList<>();

	private final Set<String> unreachableNodes = ConcurrentHashMap.newKeySet();

	private volatile String placingNode = NODE;

	private volatile boolean unreachable;

	private volatile String rejection;

	public void reset() {
		originated.clear();
		hungUp.clear();
		channels.clear();
		askedNodes.clear();
		unreachableNodes.clear();
		placingNode = NODE;
		unreachable = false;
		rejection = null;
	}

	public void unreachable() {
		unreachable = true;
	}

	public void reachable() {
		unreachable = false;
	}

	/** Only this node is away: what is asked of it (or of every node) is unavailable. */
	public void unreachable(String node) {
		unreachableNodes.add(node);
	}

	/** The node the next calls go to. */
	public void placeOn(String node) {
		placingNode = node;
	}

	public void reject(String reason) {
		rejection = reason;
	}

	@Override
	public String originate(OriginateCommand command) {
		check();
		if (rejection != null) {
			throw new PbxRejectedException(rejection);
		}
		originated.add(command);
		return placingNode;
	}

	@Override
	public boolean hangup(@Nullable String node, String uniqueId) {
		check(node);
		hungUp.add(uniqueId);
		return channels.removeIf((channel) -> channel.uniqueId().equals(uniqueId));
	}

	@Override
	public List<PbxChannel> channels(@Nullable String node) {
		check(node);
		return new ArrayList<>(channels);
	}

	private void check(@Nullable String node) {
		askedNodes.add((node != null) ? node : "*");
		if ((node == null) ? !unreachableNodes.isEmpty() : unreachableNodes.contains(node)) {
			throw new BackendUnavailableException("asterisk", "Asterisk unreachable");
		}
		check();
	}

	private void check() {
		if (unreachable) {
			throw new BackendUnavailableException("asterisk", "Asterisk unreachable");
		}
	}

}
