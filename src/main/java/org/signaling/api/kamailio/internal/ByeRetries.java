package org.signaling.api.kamailio.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.signaling.api.call.HangupIncomplete;
import org.signaling.api.call.LegRelease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Makes sure each party of a dialog Kamailio hung up is released. kamailio.cfg records every party's answer to a BYE
 * Kamailio itself sent (htable {@code byes}, {@code <Call-ID>::<the party's tag>}, on the node that sent it). A party
 * that gave no answer, or not one that releases it (200, 481, 408), by {@code signaling.calls.hangup-timeout} is
 * reported ({@link HangupIncomplete}), then sent a BYE of its own now and then ({@code tm.t_uac_start} with the
 * dialog's contact, tags, route set and a higher CSeq, see {@link DialogLeg}) until it answers one or its dialog's
 * timeout passes. Measured: Kamailio's end_dlg can skip the second BYE under load (kamailio#4268), and a party may
 * refuse a BYE (500) and accept the next.
 *
 * <p>Hand-written rather than Spring Retry: the retry is not of a call that failed, but of a SIP request whose
 * outcome only a later read tells; a plain schedule per leg says that best. Retries live in this replica's memory (a
 * replica that stops takes its retries with it; each was reported already), bounded by {@link #MAX_RETRYING}.
 */
class ByeRetries implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(ByeRetries.class);

	/** Legs retried at once, at most: a flood of deaf parties costs a bounded amount. */
	static final int MAX_RETRYING = 1_000;

	static final Duration FIRST_RETRY = Duration.ofSeconds(1);

	static final Duration MAX_RETRY_INTERVAL = Duration.ofMinutes(1);

	private static final Duration TICK = Duration.ofMillis(250);

	/** The {@code outcome} tag of {@code signaling.hangup.legs}. */
	private static final List<String> OUTCOMES = List.of("released", "not_released", "released_on_retry", "given_up");

	private final KamailioRpcClient rpc;

	private final Clock clock;

	private final Consumer<Object> publisher;

	private final MeterRegistry meters;

	private final Map<String, Retry> retrying = new ConcurrentHashMap<>();

	private final Map<String, Watch> watched = new ConcurrentHashMap<>();

	private final @Nullable ScheduledExecutorService scheduler;

	/**
	 * @param scheduled false in tests, which call {@link #runDue()} themselves
	 */
	ByeRetries(KamailioRpcClient rpc, Clock clock, MeterRegistry meters, Consumer<Object> publisher,
			boolean scheduled) {
		this.rpc = rpc;
		this.clock = clock;
		this.meters = meters;
		this.publisher = publisher;
		Gauge.builder("signaling.hangup.legs.retrying", retrying, Map::size)
			.description("Parties of hung-up calls that did not answer their BYE, sent a new one now and then")
			.register(meters);
		// at 0 from the start: increase() over a counter that its first event creates would miss that event
		for (String party : List.of(LegRelease.CALLER, LegRelease.CALLEE)) {
			OUTCOMES.forEach((outcome) -> legs(party, outcome));
		}
		if (scheduled) {
			this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "bye-retries");
				thread.setDaemon(true);
				return thread;
			});
			this.scheduler.scheduleWithFixedDelay(this::runDueSafely, TICK.toMillis(), TICK.toMillis(),
					TimeUnit.MILLISECONDS);
		}
		else {
			this.scheduler = null;
		}
	}

	/**
	 * A dialog whose BYEs were just sent and whose caller does not wait for the answers: its parties' answers are
	 * read once {@code wait} has passed, and settled then.
	 */
	void watch(EndedDialog dialog, Duration wait) {
		watched.put(dialog.callId(), new Watch(dialog, clock.instant().plus(wait), wait));
	}

	/**
	 * Each party's release, from the answers read so far ({@code null}: none); a party not released is reported in a
	 * {@link HangupIncomplete} and retried.
	 */
	List<LegRelease> settle(EndedDialog dialog, Map<String, @Nullable Integer> answers, Duration waited) {
		List<LegRelease> releases = new ArrayList<>(2);
		for (String party : List.of(LegRelease.CALLER, LegRelease.CALLEE)) {
			@Nullable Integer status = answers.get(party);
			if (releases(status)) {
				releases.add(LegRelease.released(party));
				count(party, "released");
				continue;
			}
			String reason = (status == null) ? "no answer to its BYE within " + waited.toMillis() + " ms"
					: "BYE answered " + status;
			@Nullable Instant until = retry(dialog, party);
			releases.add(LegRelease.notReleased(party, until != null ? reason : reason + "; not retried", until));
			count(party, "not_released");
		}
		List<LegRelease> notReleased = releases.stream().filter((leg) -> !leg.released()).toList();
		if (!notReleased.isEmpty()) {
			log.warn("Call {} (Kamailio dialog {}) hung up, but not every party was released: {}",
					dialog.listedCallId(), dialog.callId(), notReleased);
			publisher.accept(new HangupIncomplete(dialog.listedCallId(), dialog.dns(), notReleased));
		}
		return releases;
	}

	/**
	 * A ringing call whose cancel did not end it within {@code waited}: neither party counts as released (the callee
	 * may ring on, the caller hear ringing). Reported, not retried: Kamailio's INVITE timer ends it.
	 */
	List<LegRelease> stillRinging(EndedDialog dialog, Duration waited) {
		String reason = "still ringing " + waited.toMillis() + " ms after its cancel";
		List<LegRelease> legs = List.of(LegRelease.notReleased(LegRelease.CALLER, reason, null),
				LegRelease.notReleased(LegRelease.CALLEE, reason, null));
		count(LegRelease.CALLER, "not_released");
		count(LegRelease.CALLEE, "not_released");
		publisher.accept(new HangupIncomplete(dialog.listedCallId(), dialog.dns(), legs));
		return legs;
	}

	/** The answer to its last BYE that kamailio.cfg recorded for this party of the dialog; null when none (yet). */
	@Nullable Integer byeAnswer(EndedDialog dialog, String party) {
		String tag = LegRelease.CALLER.equals(party) ? dialog.callerTag() : dialog.calleeTag();
		if (tag.isEmpty()) {
			return null;
		}
		try {
			JsonNode value = rpc.callOwnerOf(dialog.hId(), "htable.get", KamailioDialogControl.BYE_ANSWERS,
					dialog.callId() + "::" + tag)
				.path("item")
				.path("value");
			return value.isIntegralNumber() ? value.asInt() : null;
		}
		catch (KamailioRpcException ex) {
			// "Key name doesn't exist in htable": no answer yet; unreachable: asked again later
			return null;
		}
	}

	/** 200, and 481 and 408: the party no longer has the call, which is what a BYE is for. */
	static boolean releases(@Nullable Integer status) {
		return status != null && (status == 200 || status == 481 || status == 408);
	}

	/** Every watched dialog and retried leg whose time has come; the schedule's tick, or a test's step. */
	void runDue() {
		Instant now = clock.instant();
		for (Watch watch : List.copyOf(watched.values())) {
			if (!now.isBefore(watch.dueAt()) && watched.remove(watch.dialog().callId(), watch)) {
				EndedDialog dialog = watch.dialog();
				settle(dialog, answers(dialog), watch.waited());
			}
		}
		for (Retry retry : List.copyOf(retrying.values())) {
			if (!now.isBefore(retry.nextAt())) {
				step(retry, now);
			}
		}
	}

	@Override
	public void close() {
		if (scheduler != null) {
			scheduler.shutdownNow();
		}
	}

	private void runDueSafely() {
		try {
			runDue();
		}
		catch (RuntimeException ex) {
			log.error("BYE retries failed", ex);
		}
	}

	private Map<String, @Nullable Integer> answers(EndedDialog dialog) {
		Map<String, @Nullable Integer> answers = new HashMap<>();
		answers.put(LegRelease.CALLER, byeAnswer(dialog, LegRelease.CALLER));
		answers.put(LegRelease.CALLEE, byeAnswer(dialog, LegRelease.CALLEE));
		return answers;
	}

	/** Starts retrying a party; until when, or null when it cannot be (no usable leg, too many retried). */
	private @Nullable Instant retry(EndedDialog dialog, String party) {
		Optional<DialogLeg> leg = dialog.leg(party);
		if (leg.isEmpty()) {
			log.warn("Call {}: the {}'s leg in Kamailio's dialog is not usable for a BYE of ours; not retried",
					dialog.listedCallId(), party);
			return null;
		}
		if (retrying.size() >= MAX_RETRYING) {
			log.warn("Call {}: {} parties are retried already; the {} is not", dialog.listedCallId(), MAX_RETRYING,
					party);
			return null;
		}
		Instant now = clock.instant();
		if (!now.isBefore(leg.get().retryUntil())) {
			return null;
		}
		// a leg retried already keeps its schedule and its CSeqs (a restart would send a CSeq the party has seen)
		retrying.putIfAbsent(key(leg.get()), new Retry(dialog, leg.get(), 0, now));
		return leg.get().retryUntil();
	}

	/** One step of a retried party: released meanwhile (done), past its dialog's timeout (given up), or a new BYE. */
	private void step(Retry retry, Instant now) {
		DialogLeg leg = retry.leg();
		if (retry.sent() > 0 && releases(byeAnswer(retry.dialog(), leg.party()))) {
			retrying.remove(key(leg));
			count(leg.party(), "released_on_retry");
			log.info("Call {}: the {} answered BYE {} of ours; released", retry.dialog().listedCallId(), leg.party(),
					retry.sent());
			return;
		}
		if (!now.isBefore(leg.retryUntil())) {
			retrying.remove(key(leg));
			count(leg.party(), "given_up");
			log.warn("Call {}: the {} answered none of {} BYEs by its dialog's timeout; given up",
					retry.dialog().listedCallId(), leg.party(), retry.sent() + 1);
			return;
		}
		int sent = retry.sent() + 1;
		try {
			// end_dlg's BYE had the leg's CSeq plus one; each of ours is one higher again
			rpc.callOwnerOf(leg.hId(), "tm.t_uac_start", "BYE", leg.requestUri(), leg.nextHop(), leg.socket(),
					leg.byeHeaders(leg.lastCseq() + 1 + sent));
		}
		catch (KamailioRpcException ex) {
			log.info("Call {}: BYE {} to the {} not sent ({}); tried again later", retry.dialog().listedCallId(),
					sent, leg.party(), ex.getMessage());
		}
		Duration interval = FIRST_RETRY.multipliedBy(1L << Math.min(sent - 1, 6));
		retrying.replace(key(leg), retry, new Retry(retry.dialog(), leg, sent,
				now.plus(interval.compareTo(MAX_RETRY_INTERVAL) < 0 ? interval : MAX_RETRY_INTERVAL)));
	}

	private void count(String party, String outcome) {
		legs(party, outcome).increment();
	}

	private Counter legs(String party, String outcome) {
		return Counter.builder("signaling.hangup.legs")
			.description("Parties of calls Kamailio hung up, by whether they answered their BYE")
			.tag("party", party)
			.tag("outcome", outcome)
			.register(meters);
	}

	private static String key(DialogLeg leg) {
		return leg.callId() + "::" + leg.tag();
	}

	private record Watch(EndedDialog dialog, Instant dueAt, Duration waited) {
	}

	private record Retry(EndedDialog dialog, DialogLeg leg, int sent, Instant nextAt) {
	}

	/**
	 * A confirmed dialog Kamailio was asked to end, as {@code dlg.dlg_list} showed it just before.
	 *
	 * @param listedCallId the id the API lists the call by
	 * @param dns the DNs the call involves
	 * @param callId its Call-ID
	 * @param hId its h_id (which node owns it)
	 * @param callerTag the caller's tag ("" when none)
	 * @param calleeTag the callee's tag
	 * @param caller the caller's leg for a BYE of ours; empty when unusable
	 * @param callee the callee's leg
	 */
	record EndedDialog(String listedCallId, Set<String> dns, String callId, long hId, String callerTag,
			String calleeTag, Optional<DialogLeg> caller, Optional<DialogLeg> callee) {

		EndedDialog {
			dns = Set.copyOf(dns);
		}

		Optional<DialogLeg> leg(String party) {
			return LegRelease.CALLER.equals(party) ? caller : callee;
		}

	}

}
