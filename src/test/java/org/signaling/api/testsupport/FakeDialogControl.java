package org.signaling.api.testsupport;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.signaling.api.call.DialogControl;

/** Stands in for Kamailio's dialog hang-up: ends the dialogs a test says exist, records what it ended. */
public final class FakeDialogControl implements DialogControl {

	public final Set<String> dialogs = ConcurrentHashMap.newKeySet();

	public final List<String> ended = new CopyOnWriteArrayList<>();

	public void reset() {
		dialogs.clear();
		ended.clear();
	}

	@Override
	public boolean end(String sipCallId) {
		if (!dialogs.remove(sipCallId)) {
			return false;
		}
		ended.add(sipCallId);
		return true;
	}

}
