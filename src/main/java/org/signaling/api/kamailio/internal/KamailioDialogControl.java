package org.signaling.api.kamailio.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.signaling.api.call.ActiveCall;
import org.signaling.api.call.DialogControl;
import org.signaling.api.call.DialogView;
import org.signaling.api.call.LegRelease;
import org.signaling.api.shared.BackendUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Ends the calls Kamailio carries through its dialog module. The Call-ID a client names is only compared with the
 * live view; every request sent to Kamailio is built from what Kamailio itself reported:
 * <ol>
 * <li>the dialog with exactly this Call-ID in the live view; none: false, and Kamailio is not asked;</li>
 * <li>{@code dlg.dlg_list [call-id]} (with the view's Call-ID, which came from Kamailio) for its current state,
 * {@code h_entry}/{@code h_id} and caller CSeq; {@code {}} or state 5: it ended meanwhile, false;</li>
 * <li>confirmed (state 3 or 4): {@code dlg.end_dlg [h_entry, h_id]} as JSON numbers, a BYE to each party. The BYE
 * to the callee relies on the config's BYE race guard (kamailio.cfg, on by default); early (state 1 or 2):
 * {@code htable.sets ["cancels", call-id, "cseq"]}, which kamailio.cfg turns into a CANCEL to the callee and a 487 to
 * the caller (end_dlg sends nothing on an early dialog), then read again until it is gone or answered.</li>
 * </ol>
 * Kamailio answering with a fault means the dialog changed under us (answered while ringing: no INVITE transaction
 * left to cancel; ended: no dialog); it is read once more and handled by its new state, then given up. Kamailio
 * reports no BYE's outcome over RPC, and end_dlg can skip the callee's BYE: each party's answer is read from
 * kamailio.cfg's htable {@code byes}, and a party not released is reported and sent BYEs of our own
 * ({@link ByeRetries}), whether the hang-up waits for the answers ({@link #endAndConfirm}) or not ({@link #end}).
 */
class KamailioDialogControl implements DialogControl {

	private static final Logger log = LoggerFactory.getLogger(KamailioDialogControl.class);

	/** One request, then one more after a fault that a fresh read explains; no other retries. */
	private static final int ATTEMPTS = 2;


	/** kamailio.cfg's htable of the ringing calls to cancel: Call-ID to the caller's INVITE CSeq number. */
	static final String CANCELS = "cancels";

	/** kamailio.cfg's htable of the answers to the BYEs Kamailio itself sent. */
	static final String BYE_ANSWERS = "byes";

	/** A BYE's answer takes the config's race guard (50 ms) plus a round trip: asked for this often. */
	private static final Duration BYE_ANSWER_POLL = Duration.ofMillis(25);

	private final KamailioRpcClient rpc;

	private final DialogView view;

	private final ByeRetries byeRetries;

	private final Duration hangupTimeout;

	private final Clock clock;

	/**
	 * @param hangupTimeout how long the parties of a dialog hung up without waiting ({@link #end}) have to answer
	 * their BYEs before they are reported and retried
	 */
	KamailioDialogControl(KamailioRpcClient rpc, DialogView view, ByeRetries byeRetries, Duration hangupTimeout,
			Clock clock) {
		this.rpc = rpc;
		this.view = view;
		this.byeRetries = byeRetries;
		this.hangupTimeout = hangupTimeout;
		this.clock = clock;
	}

	@Override
	public boolean end(String sipCallId) {
		@Nullable Ended ended = endDialog(sipCallId, hangupTimeout);
		if (ended == null) {
			return false;
		}
		if (ended.dialog().isConfirmed()) {
			byeRetries.watch(ended.toEndedDialog(clock.instant()), hangupTimeout);
		}
		else if (ended.stillRinging()) {
			byeRetries.stillRinging(ended.toEndedDialog(clock.instant()), hangupTimeout);
		}
		return true;
	}

	@Override
	public Optional<List<LegRelease>> endAndConfirm(String sipCallId, Duration wait) {
		@Nullable Ended ended = endDialog(sipCallId, wait);
		if (ended == null) {
			return Optional.empty();
		}
		ByeRetries.EndedDialog dialog = ended.toEndedDialog(clock.instant());
		if (ended.stillRinging()) {
			return Optional.of(byeRetries.stillRinging(dialog, wait));
		}
		if (!ended.dialog().isConfirmed()) {
			// cancelled while ringing: the caller was answered 487, the callee sent a CANCEL, the dialog is gone
			return Optional.of(List.of(LegRelease.released(LegRelease.CALLER), LegRelease.released(LegRelease.CALLEE)));
		}
		return Optional.of(byeRetries.settle(dialog, awaitByeAnswers(dialog, wait), wait));
	}

	/**
	 * A ringing dialog after its cancel was asked for, read again until it is gone (cancelled) or answered (then hung
	 * up instead), for at most {@code wait}. kamailio.cfg cancels it within 100 ms.
	 */
	private Ended awaitCancelled(ActiveCall call, Dialog ringing, Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		while (System.nanoTime() < deadline) {
			pause(BYE_ANSWER_POLL);
			@Nullable Dialog now = read(ringing.callId());
			if (now == null || now.state() == Dialog.DELETED) {
				return new Ended(call, ringing, false);
			}
			if (now.isConfirmed()) {
				// answered before the cancel: a BYE to each party instead
				send(now, call.listedCallId());
				return new Ended(call, now, false);
			}
		}
		log.warn("Call {} (dialog {}:{}) still rings {} ms after its cancel", call.listedCallId(), ringing.hEntry(),
				ringing.hId(), wait.toMillis());
		return new Ended(call, ringing, true);
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while hanging up", ex);
		}
	}

	/**
	 * Each party's answer to its BYE, as kamailio.cfg records it (htable {@code byes}, key {@code <Call-ID>::<tag of
	 * the party that answered>}, on the node that sent the BYEs: the dialog's owner), polled until both answered or
	 * {@code wait} is over.
	 */
	private Map<String, @Nullable Integer> awaitByeAnswers(ByeRetries.EndedDialog dialog, Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		Map<String, @Nullable Integer> answers = new HashMap<>();
		while (true) {
			for (String party : List.of(LegRelease.CALLER, LegRelease.CALLEE)) {
				if (answers.get(party) == null) {
					answers.put(party, byeRetries.byeAnswer(dialog, party));
				}
			}
			if (answers.values().stream().allMatch(Objects::nonNull) || System.nanoTime() >= deadline) {
				return answers;
			}
			pause(BYE_ANSWER_POLL);
		}
	}

	/** Ends the dialog; the dialog as it was when the request was sent, or null when there was none to end. */
	private @Nullable Ended endDialog(String sipCallId, Duration wait) {
		@Nullable ActiveCall call = view.activeCalls()
			.value()
			.all()
			.stream()
			.filter((candidate) -> candidate.sipCallId().equals(sipCallId))
			.findFirst()
			.orElse(null);
		if (call == null) {
			return null;
		}
		// From here on only Kamailio's own string is sent (bounded when the view was read; a Call-ID that had to be
		// cut or cleaned is not found again, and the call is not ended: 404, never a request built from it).
		String callId = call.sipCallId();
		String listedId = call.listedCallId();
		@Nullable KamailioRpcException refusal = null;
		for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
			@Nullable Dialog dialog = read(callId);
			if (dialog == null || dialog.state() == Dialog.DELETED) {
				log.info("Call {} ended before it could be hung up", listedId);
				return null;
			}
			try {
				send(dialog, listedId);
				return dialog.isConfirmed() ? new Ended(call, dialog, false) : awaitCancelled(call, dialog, wait);
			}
			catch (KamailioRpcException ex) {
				if (ex.kind() != KamailioRpcException.Kind.FAULT) {
					throw unavailable(ex);
				}
				log.info("Kamailio refused to end call {} in state {}: {}", listedId, dialog.state(), ex.getMessage());
				refusal = ex;
			}
		}
		throw unavailable(Objects.requireNonNull(refusal));
	}

	/** The dialog as Kamailio has it now; null when it has none with this Call-ID. */
	private @Nullable Dialog read(String callId) {
		JsonNode result;
		try {
			result = rpc.call("dlg.dlg_list", callId);
		}
		catch (KamailioRpcException ex) {
			throw unavailable(ex);
		}
		if (!result.isObject()) {
			throw unavailable(KamailioRpcException.protocol("dlg.dlg_list", "not an object"));
		}
		if (result.isEmpty()) {
			return null;
		}
		JsonNode hEntry = result.path("h_entry");
		JsonNode hId = result.path("h_id");
		JsonNode state = result.path("state");
		String foundCallId = result.path("call-id").asString("");
		if (!hEntry.isIntegralNumber() || !hId.isIntegralNumber() || !state.isIntegralNumber()
				|| !foundCallId.equals(callId)) {
			throw unavailable(KamailioRpcException.protocol("dlg.dlg_list", "no dialog ids, state or Call-ID"));
		}
		return new Dialog(foundCallId, hEntry.asLong(), hId.asLong(), state.asInt(),
				result.path("caller").path("cseq").asString(""), result.path("caller").path("tag").asString(""),
				result.path("callee").path("tag").asString(""), result);
	}

	private void send(Dialog dialog, String listedId) {
		switch (dialog.state()) {
			case Dialog.UNCONFIRMED, Dialog.EARLY -> {
				if (!DialogLeg.isCseq(dialog.callerCseq())) {
					throw unavailable(KamailioRpcException.protocol("dlg.dlg_list", "no caller CSeq"));
				}
				cancel(dialog, listedId);
			}
			case Dialog.CONFIRMED_WITHOUT_ACK, Dialog.CONFIRMED -> {
				// JSON numbers: as strings Kamailio answers 404 Dialog not found.
				rpc.callOwnerOf(dialog.hId(), "dlg.end_dlg", dialog.hEntry(), dialog.hId());
				log.info("Hung up call {} (dialog {}:{})", listedId, dialog.hEntry(), dialog.hId());
			}
			default -> throw unavailable(KamailioRpcException.protocol("dlg.dlg_list", "unknown dialog state"));
		}
	}

	/**
	 * Asks kamailio.cfg to cancel a ringing call (htable {@code cancels}: route CANCEL_ASKED sends the callee a CANCEL
	 * and the caller a 487). A config without that table (older than this service) gets tm.cancel, which leaves the
	 * dialog ringing for good when the callee never answers the CANCEL (measured on 5.6.3).
	 */
	private void cancel(Dialog dialog, String listedId) {
		try {
			rpc.callOwnerOf(dialog.hId(), "htable.sets", CANCELS, dialog.callId(), dialog.callerCseq());
			log.info("Cancelling ringing call {} (dialog {}:{})", listedId, dialog.hEntry(), dialog.hId());
		}
		catch (KamailioRpcException ex) {
			if (ex.kind() != KamailioRpcException.Kind.FAULT) {
				throw ex;
			}
			// The number only: "1 INVITE" is "Transaction not found".
			JsonNode result = rpc.callOwnerOf(dialog.hId(), "tm.cancel", dialog.callId(), dialog.callerCseq());
			log.info("Cancelled ringing call {} (dialog {}:{}) with tm.cancel: {}", listedId, dialog.hEntry(),
					dialog.hId(), SipValues.text(result.asString("")));
		}
	}

	private static BackendUnavailableException unavailable(KamailioRpcException ex) {
		String message = switch (ex.kind()) {
			case UNREACHABLE -> KamailioStateView.UNREACHABLE;
			case FAULT -> "Kamailio did not end the call (" + ex.getMessage() + ")";
			case PROTOCOL -> "Kamailio gave an unusable answer (" + ex.getMessage() + ")";
		};
		return new BackendUnavailableException("kamailio", message, ex);
	}

	/**
	 * A dialog Kamailio accepted to end: the view's call, and the dialog as Kamailio listed it just before;
	 * {@code stillRinging}: a ringing one that was not gone by the end of the wait.
	 */
	private record Ended(ActiveCall call, Dialog dialog, boolean stillRinging) {

		/** A dialog without a timeout of its own is retried for as long as Kamailio's default dialog lifetime. */
		private static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

		ByeRetries.EndedDialog toEndedDialog(Instant now) {
			long timeout = dialog.listed().path("timeout").asLong(0);
			Instant retryUntil = (timeout > now.getEpochSecond()) ? Instant.ofEpochSecond(timeout)
					: now.plus(DEFAULT_LIFETIME);
			return new ByeRetries.EndedDialog(call.listedCallId(), call.dns(), dialog.callId(), dialog.hId(),
					dialog.callerTag(), dialog.calleeTag(),
					DialogLeg.of(dialog.listed(), LegRelease.CALLER, retryUntil),
					DialogLeg.of(dialog.listed(), LegRelease.CALLEE, retryUntil));
		}

	}

	/** What {@code dlg.dlg_list} tells about one dialog ({@code listed}: all of it). */
	private record Dialog(String callId, long hEntry, long hId, int state, String callerCseq, String callerTag,
			String calleeTag, JsonNode listed) {

		boolean isConfirmed() {
			return state == CONFIRMED || state == CONFIRMED_WITHOUT_ACK;
		}

		static final int UNCONFIRMED = 1;

		static final int EARLY = 2;

		static final int CONFIRMED_WITHOUT_ACK = 3;

		static final int CONFIRMED = 4;

		static final int DELETED = 5;

	}

}
