package org.signaling.api.kamailio.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import org.signaling.api.call.ActiveCalls;
import org.signaling.api.call.DialogView;
import org.signaling.api.dn.Reachability;
import org.signaling.api.dn.RegistrationView;
import org.signaling.api.dn.Registrations;
import org.signaling.api.genesys.DispatcherView;
import org.signaling.api.genesys.ProbeTarget;
import org.signaling.api.kamailio.KamailioProperties;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.Observed;
import org.signaling.api.shared.ViewRefreshed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.JsonNode;

/**
 * The live in-memory view of Kamailio. One background thread refreshes it every {@code refresh-interval}: the
 * registrations ({@link RegistrationSource}: what Kamailio's pushes named, or the whole table), {@code dlg.list} and
 * {@code dispatcher.list}; requests only ever read the last answers. Data older than {@code max-staleness} is refused
 * with "Kamailio unreachable" rather than served; the next good refresh brings it back by itself.
 */
class KamailioStateView implements RegistrationView, DialogView, DispatcherView, PushHints, SmartLifecycle {

	static final String UNREACHABLE = "Kamailio unreachable";

	private static final Logger log = LoggerFactory.getLogger(KamailioStateView.class);

	private final KamailioRpcClient rpc;

	private final KamailioProperties properties;

	private final Clock clock;

	private final RegistrationSource registrationSource;

	private final DialogListReader dialogReader = new DialogListReader();

	private final DispatcherListReader dispatcherReader = new DispatcherListReader();

	private final AtomicReference<@Nullable Observed<Registrations>> registrations = new AtomicReference<>();

	private final AtomicReference<@Nullable Observed<ActiveCalls>> dialogs = new AtomicReference<>();

	private final AtomicReference<@Nullable Observed<Map<Integer, List<ProbeTarget>>>> dispatcher =
			new AtomicReference<>();

	private final MeterRegistry meters;

	private volatile @Nullable Failure lastFailure;

	/** The parts whose last refresh failed, to log each outage once and its end once. */
	private final Set<String> failingParts = ConcurrentHashMap.newKeySet();

	private volatile @Nullable ScheduledExecutorService executor;

	/** How much earlier than the interval the next cycle starts; the refresh thread's own. */
	private long leadMillis;

	/** The background full reads of registrations ({@link RegistrationSource}); null while stopped. */
	private volatile @Nullable ExecutorService resyncExecutor;

	private final Map<Part, AtomicBoolean> pending = Map.of(Part.REGISTRATIONS,
			new AtomicBoolean(), Part.DIALOGS, new AtomicBoolean(),
			Part.DISPATCHER, new AtomicBoolean());

	/** Where refreshes are announced ({@link ViewRefreshed}); a no-op in tests of the view alone. */
	private final Consumer<Object> announcer;

	KamailioStateView(KamailioRpcClient rpc, KamailioProperties properties, Clock clock, MeterRegistry meters) {
		this(rpc, properties, clock, meters, (event) -> {
		});
	}

	KamailioStateView(KamailioRpcClient rpc, KamailioProperties properties, Clock clock, MeterRegistry meters,
			Consumer<Object> announcer) {
		this(rpc, properties, Reachability.DEFAULT, clock, meters, announcer);
	}

	/** @param reachability how a contact's last answer is judged ({@code signaling.dn.unreachable-after}) */
	KamailioStateView(KamailioRpcClient rpc, KamailioProperties properties, Reachability reachability, Clock clock,
			MeterRegistry meters, Consumer<Object> announcer) {
		this.announcer = announcer;
		this.rpc = rpc;
		this.properties = properties;
		this.clock = clock;
		this.meters = meters;
		this.registrationSource = new RegistrationSource(this::timedCall, properties.locationTable(), reachability,
				properties.fullResyncInterval(), clock, this::runResync);
		Gauge.builder("signaling.kamailio.state.age", this, (view) -> view.ageSeconds())
			.baseUnit("seconds")
			.description("Age of the live view of Kamailio (registrations and dialogs)")
			.register(meters);
		Gauge.builder("signaling.dn.registered", registrations, (ref) -> sizeOf(ref.get(), Registrations::size))
			.description("Registered DNs in the live view")
			.register(meters);
		Gauge.builder("signaling.calls.active", dialogs, (ref) -> sizeOf(ref.get(), ActiveCalls::count))
			.description("Active calls (Kamailio dialogs) in the live view")
			.register(meters);
	}

	@Override
	public Observed<Registrations> registrations() {
		return fresh(registrations.get());
	}

	@Override
	public Observed<ActiveCalls> activeCalls() {
		return fresh(dialogs.get());
	}

	@Override
	public Observed<Map<Integer, List<ProbeTarget>>> dispatcherSets() {
		return fresh(dispatcher.get());
	}

	/**
	 * One refresh cycle, and the next one scheduled so that no part gets older than the refresh interval. A part is
	 * stamped when its RPC is sent and replaced when the next answer is in: just before that it is the time between
	 * two cycles plus its RPC's own time old. So the next cycle starts the interval after this one started, less the
	 * time this cycle's slowest part took (at 1,000 dialogs, {@code dlg.list} takes 20 to 200 ms depending on the
	 * machine's load). That lead rises at once and falls slowly (by a sixteenth a cycle), so that the quick cycles
	 * between two slow ones do not remove it; it never exceeds half the interval. A cycle that takes longer than the
	 * interval is followed after a tenth of the interval, never overlapped, and never followed by a burst of catch-up
	 * cycles, as a fixed rate would after a stall.
	 */
	private void cycle(ScheduledExecutorService scheduler) {
		long startedNanos = System.nanoTime();
		long slowestPartNanos = 0;
		try {
			for (Part part : Part.values()) {
				long partStarted = System.nanoTime();
				refresh(part, true);
				slowestPartNanos = Math.max(slowestPartNanos, System.nanoTime() - partStarted);
			}
		}
		finally {
			long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
			try {
				long interval = properties.refreshInterval().toMillis();
				leadMillis = Math.min(interval / 2,
						Math.max(TimeUnit.NANOSECONDS.toMillis(slowestPartNanos), leadMillis * 15 / 16));
				// A tenth of the interval's rest at least: a Kamailio too slow for the interval is not asked
				// back to back.
				scheduler.schedule(() -> cycle(scheduler),
						Math.max(interval / 10, interval - leadMillis - elapsedMillis), TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				// Stopping.
			}
		}
	}

	/** One refresh of every part of the view; a part that fails keeps its previous value, which then ages. */
	void refresh() {
		for (Part part : Part.values()) {
			refresh(part, true);
		}
	}

	/**
	 * @param periodic a refresh of the cycle, rather than one a push asked for
	 */
	private void refresh(Part part, boolean periodic) {
		pending.get(part).set(false);
		switch (part) {
			case REGISTRATIONS -> refreshPart(ViewRefreshed.REGISTRATIONS, registrations,
					(started) -> registrationSource.read(started, periodic));
			case DIALOGS -> refreshPart(ViewRefreshed.DIALOGS, dialogs,
					(started) -> dialogReader.read(timedCall("dlg.list")));
			case DISPATCHER -> refreshPart(ViewRefreshed.DISPATCHER, dispatcher,
					(started) -> dispatcherReader.read(timedCall("dispatcher.list")));
		}
	}

	/**
	 * Refreshes one part now instead of at the next tick, on the refresh thread (so never two refreshes at once).
	 * Requests while one is pending are merged: a burst of pushes from Kamailio costs one RPC. For registrations,
	 * the whole table is read.
	 */
	@Override
	public void refreshSoon(Part part) {
		if (part == Part.REGISTRATIONS) {
			registrationSource.pushedWithoutAor();
		}
		schedule(part);
	}

	@Override
	public void registrationChanged(String aor) {
		registrationSource.pushed(aor);
		schedule(Part.REGISTRATIONS);
	}

	@Override
	public void pushConnected(boolean connected) {
		registrationSource.pushConnected(connected);
	}

	private void schedule(Part part) {
		ScheduledExecutorService scheduler = executor;
		if (scheduler != null && pending.get(part).compareAndSet(false, true)) {
			try {
				scheduler.execute(() -> refresh(part, false));
			}
			catch (RejectedExecutionException ex) {
				// Stopping: the view is going away.
			}
		}
	}

	/** The parts of the view, each refreshed on its own. */
	enum Part {

		REGISTRATIONS, DIALOGS, DISPATCHER

	}

	private <T> void refreshPart(String part, AtomicReference<@Nullable Observed<T>> target,
			Function<Instant, T> fetch) {
		Instant started = clock.instant();
		try {
			T value = fetch.apply(started);
			Observed<T> previous = target.get();
			// An unchanged part keeps its object: answers built from it (keyed on it) stay ready.
			target.set(new Observed<>((previous != null && previous.value().equals(value)) ? previous.value() : value,
					started));
			if (failingParts.remove(part)) {
				log.info("Kamailio answers for the {} again at {}", part, properties.displayRpcUrl());
			}
			announce(new ViewRefreshed(part, started));
		}
		catch (KamailioRpcException ex) {
			recordFailure(part, ex.getMessage(), null);
		}
		catch (RuntimeException ex) {
			// A bug in a reader must not stop the refresh loop; the part ages out and health shows why.
			recordFailure(part, part + ": " + ex, ex);
		}
	}

	/** One JSON-RPC call of the view, timed by method and outcome: every call the view makes is counted. */
	private JsonNode timedCall(String method, Object... params) {
		long startNanos = System.nanoTime();
		String outcome = "success";
		try {
			return rpc.call(method, params);
		}
		catch (KamailioRpcException ex) {
			outcome = ex.kind().name().toLowerCase(Locale.ROOT);
			throw ex;
		}
		catch (RuntimeException ex) {
			outcome = "error";
			throw ex;
		}
		finally {
			Timer.builder("signaling.kamailio.refresh")
				.description("JSON-RPC calls of the live view")
				.tag("method", method)
				.tag("outcome", outcome)
				.register(meters)
				.record(Duration.ofNanos(System.nanoTime() - startNanos));
		}
	}

	/** On the resync thread once started; in the caller's thread before (tests that drive the view by hand). */
	private void runResync(Runnable resync) {
		ExecutorService resyncs = resyncExecutor;
		if (resyncs != null) {
			resyncs.execute(resync);
		}
		else {
			resync.run();
		}
	}

	private void announce(ViewRefreshed refreshed) {
		try {
			announcer.accept(refreshed);
		}
		catch (RuntimeException ex) {
			// Whoever derives events from the view must not stop the view from refreshing.
			log.error("Handling {} failed", refreshed, ex);
		}
	}

	private void recordFailure(String part, String message, @Nullable Throwable bug) {
		lastFailure = new Failure(message, clock.instant());
		if (failingParts.add(part)) {
			if (bug != null) {
				log.error("Reading the {} failed", part, bug);
			}
			else {
				log.warn("Kamailio refresh failed, serving the last {} until they are {} old: {}", part,
						properties.maxStaleness(), message);
			}
		}
	}

	private <T> Observed<T> fresh(@Nullable Observed<T> observed) {
		if (observed == null || observed.age(clock).compareTo(properties.maxStaleness()) > 0) {
			throw new BackendUnavailableException("kamailio", UNREACHABLE);
		}
		return observed;
	}

	/** Whether registrations and dialogs are both within the staleness bound. */
	boolean isFresh() {
		return isFresh(registrations.get()) && isFresh(dialogs.get());
	}

	private boolean isFresh(@Nullable Observed<?> observed) {
		return observed != null && observed.age(clock).compareTo(properties.maxStaleness()) <= 0;
	}

	/** Age of the older of registrations and dialogs; null before the first good refresh. */
	@Nullable Duration age() {
		Observed<Registrations> regs = registrations.get();
		Observed<ActiveCalls> calls = dialogs.get();
		if (regs == null || calls == null) {
			return null;
		}
		return Duration.between(regs.olderOf(calls), clock.instant());
	}

	@Nullable Failure lastFailure() {
		return lastFailure;
	}

	/** The Kamailio node the view reads now (of {@code rpc-urls}, the one that answered last). */
	String rpcNode() {
		return rpc.currentNode();
	}

	int registeredDns() {
		return sizeOf(registrations.get(), Registrations::size);
	}

	int activeCallCount() {
		return sizeOf(dialogs.get(), ActiveCalls::count);
	}

	private double ageSeconds() {
		Duration age = age();
		return (age != null) ? age.toMillis() / 1000.0 : Double.NaN;
	}

	private static <T> int sizeOf(@Nullable Observed<T> observed, ToIntFunction<T> size) {
		return (observed != null) ? size.applyAsInt(observed.value()) : 0;
	}

	@Override
	public void start() {
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "kamailio-refresh");
			thread.setDaemon(true);
			return thread;
		});
		resyncExecutor = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "kamailio-resync");
			thread.setDaemon(true);
			return thread;
		});
		executor = scheduler;
		scheduler.execute(() -> cycle(scheduler));
		log.info("Refreshing the Kamailio view from {} every {}", properties.displayRpcUrl(),
				properties.refreshInterval());
	}

	@Override
	public void stop() {
		ScheduledExecutorService scheduler = executor;
		if (scheduler != null) {
			scheduler.shutdownNow();
			executor = null;
		}
		ExecutorService resyncs = resyncExecutor;
		if (resyncs != null) {
			resyncs.shutdownNow();
			resyncExecutor = null;
		}
	}

	@Override
	public boolean isRunning() {
		return executor != null;
	}

	record Failure(String message, Instant at) {
	}

}
