package org.signaling.api.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.signaling.api.call.OriginateCommand;
import org.signaling.api.call.Pbx;
import org.signaling.api.call.PbxChannel;
import org.signaling.api.call.PbxRejectedException;
import org.signaling.api.shared.BackendUnavailableException;

/** Stands in for Asterisk in call-control tests: records what it was asked, answers as the test says. */
public final class FakePbx implements Pbx {

	@Override
	public String name() {
		return ASTERISK;
	}


	public final List<OriginateCommand> originated = new CopyOnWriteArrayList<>();

	public final List<String> hungUp = new CopyOnWriteArrayList<>();

	public final List<PbxChannel> channels = new CopyOnWriteArrayList<>();

	private volatile boolean unreachable;

	private volatile String rejection;

	public void reset() {
		originated.clear();
		hungUp.clear();
		channels.clear();
		unreachable = false;
		rejection = null;
	}

	public void unreachable() {
		unreachable = true;
	}

	public void reachable() {
		unreachable = false;
	}

	public void reject(String reason) {
		rejection = reason;
	}

	@Override
	public void originate(OriginateCommand command) {
		check();
		if (rejection != null) {
			throw new PbxRejectedException(rejection);
		}
		originated.add(command);
	}

	@Override
	public boolean hangup(String uniqueId) {
		check();
		hungUp.add(uniqueId);
		return channels.removeIf((channel) -> channel.uniqueId().equals(uniqueId));
	}

	@Override
	public List<PbxChannel> channels() {
		check();
		return new ArrayList<>(channels);
	}

	private void check() {
		if (unreachable) {
			throw new BackendUnavailableException("asterisk", "Asterisk unreachable");
		}
	}

}
