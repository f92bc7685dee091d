package org.signaling.api.kamailio.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.signaling.api.dn.DnSyntax;
import org.signaling.api.dn.Reachability;
import org.signaling.api.dn.RegisteredContact;
import org.signaling.api.dn.Registration;
import org.signaling.api.dn.Registrations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The registrations part of the view, read at a cost that follows what changed rather than how many agents are
 * registered.
 *
 * <p>{@code ul.dump} grows faster than the location table: measured on Kamailio 5.6.3, 56 ms at 1,000 AoRs and 1.1 to
 * 1.3 s at 10,000 (5.2 MB), too slow for a 1 s refresh. Even its {@code brief} form (AoR names only) takes 110 to
 * 180 ms at 10,000. So while Kamailio's push events flow, a cycle reads only what they name: the project's
 * kamailio.cfg pushes {@code {"event":"register","aor":"5001"}} on every saved REGISTER (new, refreshed or removed
 * contact) and every contact usrloc's timer expires, and this source reads each named AoR back with
 * {@code ul.lookup} (under 2 ms). Every periodic cycle then also asks usrloc how many AoRs its table holds
 * ({@code stats.fetch usrloc:}, a few hundred bytes): it proves that Kamailio answers, so that the part's age is true,
 * and a count that differs from the view's twice in a row (an AoR that came or went without a push) starts a full read
 * in the background. A cycle in which nothing was pushed costs that one small RPC, and the part is as current as the
 * push channel: a change reaches the view within the push's own delay (milliseconds).
 *
 * <p>The whole table is read with {@code ul.dump} instead when the push channel cannot be trusted to have named every
 * change: before the first read, after every (re)connect, while it is disconnected, after a push that names no AoR
 * (an older kamailio.cfg), and when more AoRs changed than a cycle looks up. What the pushes cannot name (an
 * operator's {@code ul.rm} over RPC, a kamailio.cfg that does not push) is caught by a full read every
 * {@code full-resync-interval} in the background: it runs on its own thread, so a slow dump never holds up the
 * refresh cycle, and the AoRs looked up while it ran are looked up again once it is merged, so that it cannot bring
 * back an older state of them.
 *
 * <p>AoRs come from whoever sent a REGISTER: only an AoR whose user is a DN is ever looked up (the push is checked
 * by {@link EvapiListener}, the table by {@link UsrlocDumpReader}).
 */
final class RegistrationSource {

	/**
	 * More pushed AoRs than this in one cycle (a mass re-registration after an outage) are read with one dump: at
	 * about 1.5 ms each, 256 lookups cost what a dump of a few thousand AoRs costs.
	 */
	static final int MAX_LOOKUPS_PER_CYCLE = 256;

	/** Pushed AoRs waiting for the next cycle beyond this are forgotten and the next cycle reads everything. */
	static final int MAX_PENDING = 4 * MAX_LOOKUPS_PER_CYCLE;

	/**
	 * Background full reads a count mismatch starts are at least this far apart: a table that keeps changing without
	 * pushes (a kamailio.cfg that does not push) is then read whole at this pace, not back to back.
	 */
	static final Duration MIN_RESYNC_GAP = Duration.ofSeconds(10);

	/** Kamailio's faults of {@code ul.lookup} (usrloc's ul_rpc.c): no such AoR; an AoR whose contacts all expired. */
	private static final String NOT_FOUND = "AOR not found";

	private static final String NO_CONTACTS = "AOR has no contacts";

	private static final Logger log = LoggerFactory.getLogger(RegistrationSource.class);

	private final Rpc rpc;

	private final UsrlocDumpReader reader;

	private final String locationTable;

	private final Duration resyncInterval;

	private final Clock clock;

	private final Executor resyncExecutor;

	/** AoRs pushed since the last cycle took them; any thread adds, the refresh thread takes. */
	private final Set<String> pushed = ConcurrentHashMap.newKeySet();

	/** Whether the next cycle must read the whole table (see the class comment for when). */
	private final AtomicBoolean fullReadWanted = new AtomicBoolean(true);

	/** Whether pushes flow: the push channel is connected. */
	private volatile boolean pushing;

	private final AtomicBoolean resyncRunning = new AtomicBoolean();

	/** A background full read waiting to be merged by the refresh thread. */
	private final AtomicReference<@Nullable Resync> resynced = new AtomicReference<>();

	// The refresh thread's own state: only read() touches it.

	/** Every registered AoR whose user is a DN, by the AoR as Kamailio reports it. */
	private Map<String, Registration> byAor = new HashMap<>();

	/** Every AoR in Kamailio's table, DN or not, live contact or not: what usrloc counts. */
	private Set<String> tableAors = new HashSet<>();

	/**
	 * AoRs whose contacts all expired but whose record usrloc's timer has not purged yet (it pushes before the
	 * purge): looked up each cycle until they are gone, so that the count stays right without a full read.
	 */
	private final Set<String> emptyAors = new HashSet<>();

	/** Consecutive cycles whose count of AoRs differed from Kamailio's. */
	private int countMismatches;

	private @Nullable Registrations current;

	/**
	 * Whether the table changed since {@link #current} was built from it: a cycle that failed half-way leaves the
	 * lookups it did for the next one to build.
	 */
	private boolean changedSinceBuilt;

	/** When the last full read, in the cycle or in the background, was started: the next is due an interval later. */
	private Instant lastFullRead = Instant.MIN;

	/** When the last full read in the cycle was asked for: a background read started before it is older. */
	private Instant lastCycleDump = Instant.MIN;

	/** AoRs looked up since the running resync was started: looked up again when it is merged. */
	private final Set<String> lookedUpDuringResync = new HashSet<>();

	/**
	 * @param rpc Kamailio's JSON-RPC, timed by the view
	 * @param resyncExecutor where the periodic full read runs: a thread of its own beside the refresh thread
	 */
	RegistrationSource(Rpc rpc, String locationTable, Reachability reachability, Duration resyncInterval,
			Clock clock, Executor resyncExecutor) {
		this.rpc = rpc;
		this.reader = new UsrlocDumpReader(locationTable, reachability);
		this.locationTable = locationTable;
		this.resyncInterval = resyncInterval;
		this.clock = clock;
		this.resyncExecutor = resyncExecutor;
	}

	/** The push channel connected (everything may have changed meanwhile) or was lost (pushes no longer arrive). */
	void pushConnected(boolean connected) {
		pushing = connected;
		fullReadWanted.set(true);
	}

	/** A push named an AoR whose registration changed; it is a DN (the listener checked). */
	void pushed(String aor) {
		if (pushed.size() >= MAX_PENDING) {
			fullReadWanted.set(true);
			return;
		}
		pushed.add(aor);
	}

	/** A push said registrations changed without naming which: the next cycle reads the whole table. */
	void pushedWithoutAor() {
		fullReadWanted.set(true);
	}

	/**
	 * One cycle's registrations; on the refresh thread only.
	 * @param started when the cycle started: what the result is as of
	 * @param periodic the refresh cycle's read, rather than one a push asked for: the count is compared then, and
	 * whenever no lookup showed that Kamailio answers
	 * @throws KamailioRpcException when Kamailio did not answer; what was pushed is then kept for the next cycle
	 */
	Registrations read(Instant started, boolean periodic) {
		if (current == null || !pushing || fullReadWanted.get()) {
			return readAll(started);
		}
		mergeResync();
		Set<String> aors = new HashSet<>(pushed);
		if (periodic) {
			aors.addAll(expiredAors(started));
			aors.addAll(emptyAors);
		}
		if (aors.size() > MAX_LOOKUPS_PER_CYCLE) {
			return readAll(started);
		}
		pushed.removeAll(aors);
		try {
			for (String aor : aors) {
				lookUp(aor, started);
			}
		}
		catch (KamailioRpcException ex) {
			pushed.addAll(aors);
			throw ex;
		}
		if (periodic || aors.isEmpty()) {
			checkCount();
		}
		if (!started.isBefore(lastFullRead.plus(resyncInterval))) {
			startResync();
		}
		if (changedSinceBuilt) {
			current = new Registrations(byAor.values());
			changedSinceBuilt = false;
		}
		return Objects.requireNonNull(current);
	}

	private Registrations readAll(Instant started) {
		// Cleared before the dump is asked for: a push that arrives meanwhile is looked up at the next cycle.
		fullReadWanted.set(false);
		pushed.clear();
		try {
			UsrlocDumpReader.Table table = reader.readTable(rpc.call("ul.dump"), started);
			byAor = new HashMap<>(table.registrations());
			tableAors = new HashSet<>(table.aors());
			rememberEmpty(table);
		}
		catch (RuntimeException ex) {
			fullReadWanted.set(true);
			throw ex;
		}
		lastFullRead = started;
		lastCycleDump = started;
		countMismatches = 0;
		changedSinceBuilt = false;
		lookedUpDuringResync.clear();
		resynced.set(null);
		Registrations all = new Registrations(byAor.values());
		current = all;
		return all;
	}

	/** The DNs' AoRs a full read found without a live contact: looked up until usrloc purges them. */
	private void rememberEmpty(UsrlocDumpReader.Table table) {
		emptyAors.clear();
		for (String aor : table.aors()) {
			if (!table.registrations().containsKey(aor) && DnSyntax.isValid(aor)) {
				emptyAors.add(aor);
			}
		}
	}

	/**
	 * Reads one AoR back and puts it in the table (or out of it). The one place an AoR becomes a JSON-RPC parameter:
	 * only a DN is sent (pushes are checked already; an AoR of a dump came from a REGISTER, and one with a domain is
	 * left to the full reads).
	 */
	private void lookUp(String aor, Instant started) {
		if (!DnSyntax.isValid(aor)) {
			return;
		}
		if (resyncRunning.get() || resynced.get() != null) {
			lookedUpDuringResync.add(aor);
		}
		JsonNode result;
		try {
			result = rpc.call("ul.lookup", locationTable, aor);
		}
		catch (KamailioRpcException ex) {
			String message = (ex.kind() == KamailioRpcException.Kind.FAULT) ? ex.getMessage() : null;
			if (message != null && message.contains(NOT_FOUND)) {
				tableAors.remove(aor);
				emptyAors.remove(aor);
				replace(aor, null);
				return;
			}
			if (message != null && message.contains(NO_CONTACTS)) {
				// still in the table (and in its count) until usrloc's timer purges its expired contacts
				tableAors.add(aor);
				emptyAors.add(aor);
				replace(aor, null);
				return;
			}
			throw ex;
		}
		tableAors.add(aor);
		emptyAors.remove(aor);
		replace(aor, reader.readLookup(result, started));
	}

	private void replace(String aor, @Nullable Registration registration) {
		Registration before = (registration != null) ? byAor.put(aor, registration) : byAor.remove(aor);
		if (!Objects.equals(before, registration)) {
			changedSinceBuilt = true;
		}
	}

	/**
	 * Compares the number of AoRs in Kamailio's table with the view's. A difference in one cycle can be a REGISTER
	 * whose push is still on its way; the same difference a cycle later was not pushed, and a full read is started.
	 */
	private void checkCount() {
		JsonNode stats = rpc.call("stats.fetch", "usrloc:");
		JsonNode users = stats.path("usrloc." + locationTable + "_users");
		int count;
		try {
			count = users.isString() ? Integer.parseInt(users.asString()) : users.asInt(-1);
		}
		catch (NumberFormatException ex) {
			count = -1;
		}
		if (count < 0 || count == tableAors.size()) {
			// no count to compare (a Kamailio without usrloc statistics) or the same
			countMismatches = 0;
			return;
		}
		if (++countMismatches >= 2 && !clock.instant().isBefore(lastFullRead.plus(MIN_RESYNC_GAP))) {
			log.info("Kamailio's location table holds {} AoRs, the view {}: reading it whole", count,
					tableAors.size());
			countMismatches = 0;
			startResync();
		}
	}

	/**
	 * AoRs with a contact past its expiry: usrloc's timer removes it and the push says so, but a kamailio.cfg without
	 * that push would leave it listed. A few per cycle at most; the table is only scanned, not read from Kamailio.
	 */
	private List<String> expiredAors(Instant started) {
		List<String> expired = new ArrayList<>();
		for (Map.Entry<String, Registration> entry : byAor.entrySet()) {
			for (RegisteredContact contact : entry.getValue().contacts()) {
				Instant expiresAt = contact.expiresAt();
				if (expiresAt != null && !expiresAt.isAfter(started)) {
					expired.add(entry.getKey());
					break;
				}
			}
		}
		return expired;
	}

	private void startResync() {
		if (!resyncRunning.compareAndSet(false, true)) {
			return;
		}
		lastFullRead = clock.instant();
		lookedUpDuringResync.clear();
		try {
			resyncExecutor.execute(this::resync);
		}
		catch (RuntimeException ex) {
			// Stopping (the executor refuses work): no resync, the view is going away.
			resyncRunning.set(false);
		}
	}

	private void resync() {
		try {
			Instant started = clock.instant();
			resynced.set(new Resync(reader.readTable(rpc.call("ul.dump"), started), started));
		}
		catch (KamailioRpcException ex) {
			// Timed and counted by the view's RPC timer; the pushes keep the part current meanwhile.
			log.warn("The periodic full read of registrations failed, retried in {}: {}", resyncInterval,
					ex.getMessage());
		}
		catch (RuntimeException ex) {
			log.error("The periodic full read of registrations failed", ex);
		}
		finally {
			resyncRunning.set(false);
		}
	}

	/**
	 * Takes a finished background read in place of the table, and has the AoRs looked up while it ran looked up again
	 * in this cycle: the dump may predate their lookup.
	 */
	private void mergeResync() {
		Resync resync = resynced.getAndSet(null);
		if (resync == null || resync.started().isBefore(lastCycleDump)) {
			// none, or older than a full read the cycle did meanwhile
			return;
		}
		if (!resync.table().registrations().equals(byAor)) {
			changedSinceBuilt = true;
		}
		byAor = new HashMap<>(resync.table().registrations());
		tableAors = new HashSet<>(resync.table().aors());
		rememberEmpty(resync.table());
		countMismatches = 0;
		for (Iterator<String> it = lookedUpDuringResync.iterator(); it.hasNext();) {
			pushed.add(it.next());
			it.remove();
		}
	}

	private record Resync(UsrlocDumpReader.Table table, Instant started) {
	}

	/** Kamailio's JSON-RPC as the view calls it: timed and counted per method. */
	@FunctionalInterface
	interface Rpc {

		JsonNode call(String method, Object... params);

	}

}
