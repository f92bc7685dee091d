package org.signaling.api.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.signaling.api.call.MediaControl;
import org.signaling.api.call.PbxRejectedException;

/** Asterisk's media control as a test drives it: records every action, in order; can refuse the next ones. */
public final class FakeMediaControl implements MediaControl {

	/** Every action, as "name legs-or-id values". */
	public final List<String> actions = new CopyOnWriteArrayList<>();

	/** The legs of the last action on a call. */
	public volatile @Nullable Legs lastLegs;

	private volatile @Nullable String refusal;

	/** Runs while an action is sent, before it returns: what Asterisk reports before its answer arrives. */
	public volatile Consumer<String> during = (action) -> {
	};

	public void reset() {
		during = (action) -> {
		};
		actions.clear();
		lastLegs = null;
		refusal = null;
	}

	/** Every later action is refused with this reason, as Asterisk's Error answer. */
	public void refuse(String reason) {
		refusal = reason;
	}

	private void record(@Nullable Legs legs, String action) {
		if (refusal != null) {
			throw new PbxRejectedException(refusal);
		}
		lastLegs = (legs != null) ? legs : lastLegs;
		actions.add(action);
		during.accept(action);
	}

	@Override
	public void hold(Legs legs) {
		record(legs, "hold");
	}

	@Override
	public void unhold(Legs legs) {
		record(legs, "unhold");
	}

	@Override
	public void dtmf(Legs legs, char digit, int durationMs) {
		record(legs, "dtmf " + digit + " " + durationMs);
	}

	@Override
	public void mute(Legs legs, String direction, boolean on) {
		record(legs, "mute " + direction + " " + (on ? "on" : "off"));
	}

	@Override
	public String startRecording(Legs legs, String file) {
		record(legs, "record " + file);
		return "mixmon-1";
	}

	@Override
	public void stopRecording(Legs legs, String mixMonitorId) {
		record(legs, "stop recording " + mixMonitorId);
	}

	@Override
	public void pauseRecording(Legs legs, boolean paused) {
		record(legs, paused ? "pause recording" : "resume recording");
	}

	@Override
	public void blindTransfer(Legs legs, String to) {
		record(legs, "blind transfer " + to);
	}

	@Override
	public void attendedTransfer(Legs legs, String to) {
		record(legs, "attended transfer " + to);
	}

	@Override
	public void cancelAttendedTransfer(Legs legs) {
		record(legs, "cancel transfer");
	}

	@Override
	public void completeAttendedTransfer(Legs legs) {
		record(legs, "complete transfer");
	}

	@Override
	public void monitor(Legs legs, String monitorId, String supervisorDn, MonitorMode mode) {
		record(legs, "monitor " + supervisorDn + " " + mode);
	}

	@Override
	public void monitorMode(@Nullable String node, String monitorId, MonitorMode mode) {
		record(null, "monitor mode " + mode);
	}

	@Override
	public void endMonitor(@Nullable String node, String monitorId) {
		record(null, "end monitor");
	}

}
