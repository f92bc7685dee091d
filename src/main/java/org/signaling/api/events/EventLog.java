package org.signaling.api.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The durable, ordered log of events: written once, read by position. */
public interface EventLog {

	/**
	 * Appends an event, durably, then announces it ({@link EventAppended}). Assigns the id, the position and the next
	 * sequence of its subject. Called inside a transaction, the event is part of it: it commits (or rolls back) with
	 * the caller's other writes, and is announced only once they have committed. That is how a state change and its
	 * events are never one without the other.
	 */
	StoredEvent append(String type, String subjectType, String subject, Map<String, Object> data);

	/** Events after a position, oldest first, at most {@code limit}. */
	List<StoredEvent> after(long position, int limit);

	/**
	 * The latest event of every subject of one type that still has one (by subject): what subscribers last heard of
	 * each. Consistent with the appends of every replica: it waits for one in flight, so it holds each event committed
	 * before it and none after. A new leader starts from it.
	 */
	Map<String, Event> latestBySubject(String subjectType);

	/** The position of an event, if it is still in the log (old events are pruned). */
	Optional<Long> positionOf(String eventId);

	/** The position of the newest event; 0 when the log is empty. */
	long lastPosition();

	/**
	 * Forgets at most {@code limit} subjects whose last event is older than {@code idleBefore} and which have no
	 * event left in the log (event retention is shorter than the history's, so those are gone anyway): their
	 * sequence counters are deleted. A forgotten subject that has an event again later starts again at sequence 1;
	 * a client that kept its old sequence sees it restart, long after that subject's old events were pruned. One
	 * bounded statement: the caller repeats it.
	 * @return how many were forgotten; fewer than {@code limit} once none is left
	 */
	int forgetIdleSubjects(Instant idleBefore, int limit);

}
