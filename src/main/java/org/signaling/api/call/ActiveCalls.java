package org.signaling.api.call;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** All active calls of one snapshot of Kamailio's dialogs, oldest first. */
public final class ActiveCalls {

	private final List<ActiveCall> all;

	private final List<EndedDialog> ended;

	/**
	 * @param ended the dialogs of API calls that Kamailio ended moments ago and still lists; not active calls
	 */
	public ActiveCalls(Collection<ActiveCall> calls, Collection<EndedDialog> ended) {
		this.all = calls.stream().sorted(Comparator.comparing(ActiveCall::createdAt)).toList();
		this.ended = List.copyOf(ended);
	}

	/** Dialogs of API calls that have just ended (not counted, not listed): how a click-to-dial went. */
	public List<EndedDialog> ended() {
		return ended;
	}

	/** Oldest first. */
	public List<ActiveCall> all() {
		return all;
	}

	public int count() {
		return all.size();
	}

	/** The same dialogs in the same states: how the view tells that nothing changed since its last look. */
	@Override
	public boolean equals(Object other) {
		return other instanceof ActiveCalls calls && calls.all.equals(all) && calls.ended.equals(ended);
	}

	@Override
	public int hashCode() {
		return Objects.hash(all, ended);
	}

}
