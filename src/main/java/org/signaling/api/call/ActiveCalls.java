package org.signaling.api.call;

import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.signaling.api.dn.CallActivity.ActiveCallCounts;

/** All active calls of one snapshot, indexed once by DN so that every read is a lookup. */
public final class ActiveCalls implements ActiveCallCounts {

	private final List<ActiveCall> all;

	private final Map<String, List<ActiveCall>> byDn;

	private final Map<CallState, Integer> countByState;

	private final List<EndedDialog> ended;

	public ActiveCalls(Collection<ActiveCall> calls) {
		this(calls, List.of());
	}

	/**
	 * @param ended the dialogs of API calls that Kamailio ended moments ago and still lists; not active calls
	 */
	public ActiveCalls(Collection<ActiveCall> calls, Collection<EndedDialog> ended) {
		this.ended = List.copyOf(ended);
		this.all = calls.stream().sorted(Comparator.comparing(ActiveCall::createdAt)).toList();
		Map<String, List<ActiveCall>> index = new HashMap<>();
		Map<CallState, Integer> states = new EnumMap<>(CallState.class);
		for (ActiveCall call : all) {
			call.dns().forEach((dn) -> index.computeIfAbsent(dn, (key) -> new java.util.ArrayList<>()).add(call));
			states.merge(call.state(), 1, Integer::sum);
		}
		index.replaceAll((dn, list) -> List.copyOf(list));
		this.byDn = index;
		this.countByState = states;
	}

	public static ActiveCalls none() {
		return new ActiveCalls(List.of());
	}

	/** Dialogs of API calls that have just ended (not counted, not listed): how a click-to-dial went. */
	public List<EndedDialog> ended() {
		return ended;
	}

	/** Oldest first. */
	public List<ActiveCall> all() {
		return all;
	}

	/** The calls a DN is in, oldest first. */
	public List<ActiveCall> of(String dn) {
		return byDn.getOrDefault(dn, List.of());
	}

	public int count() {
		return all.size();
	}

	public int count(CallState state) {
		return countByState.getOrDefault(state, 0);
	}

	@Override
	public int activeCallsOf(String dn) {
		return of(dn).size();
	}

}
