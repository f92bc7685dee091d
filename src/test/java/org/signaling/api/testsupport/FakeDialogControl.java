package org.signaling.api.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.signaling.api.call.DialogControl;
import org.signaling.api.call.LegRelease;

/** Stands in for Kamailio's dialog hang-up: ends the dialogs a test says exist, records what it ended. */
public final class FakeDialogControl implements DialogControl {

	public final Set<String> dialogs = ConcurrentHashMap.newKeySet();

	public final List<String> ended = new CopyOnWriteArrayList<>();

	public void reset() {
		dialogs.clear();
		ended.clear();
		deafParty = null;
	}

	@Override
	public boolean end(String sipCallId) {
		if (!dialogs.remove(sipCallId)) {
			return false;
		}
		ended.add(sipCallId);
		return true;
	}

	/** Every party answers at once, unless a test named the party that does not. */
	@Override
	public Optional<List<LegRelease>> endAndConfirm(String sipCallId, Duration wait) {
		if (!end(sipCallId)) {
			return Optional.empty();
		}
		String deaf = deafParty;
		return Optional.of(List.of(release(LegRelease.CALLER, deaf), release(LegRelease.CALLEE, deaf)));
	}

	/** Until when a deaf party is retried, as the real adapter says it (its dialog's timeout). */
	public static final Instant RETRY_UNTIL = Instant.parse("2026-11-26T11:00:00Z");

	private static LegRelease release(String party, String deaf) {
		return party.equals(deaf) ? LegRelease.notReleased(party, "no answer to its BYE", RETRY_UNTIL)
				: LegRelease.released(party);
	}

	/** The party that does not answer its BYE from now on ("caller" or "callee"), or null. */
	public volatile String deafParty;

}
