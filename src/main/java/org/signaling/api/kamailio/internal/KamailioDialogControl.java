package org.signaling.api.kamailio.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

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
 * {@code tm.cancel [call-id, "cseq"]}, a CANCEL to the callee and a 487 to the caller, because end_dlg sends
 * nothing on an early dialog.</li>
 * </ol>
 * Kamailio answering with a fault means the dialog changed under us (answered while ringing: no INVITE transaction
 * left to cancel; ended: no dialog); it is read once more and handled by its new state, then given up. Returns true
 * once Kamailio accepted the request: it does not wait for the BYE or CANCEL transactions, whose outcome Kamailio
 * does not report over RPC.
 */
class KamailioDialogControl implements DialogControl {

	private static final Logger log = LoggerFactory.getLogger(KamailioDialogControl.class);

	/** One request, then one more after a fault that a fresh read explains; no other retries. */
	private static final int ATTEMPTS = 2;

	private static final Pattern CSEQ_NUMBER = Pattern.compile("[0-9]{1,10}");

	/** kamailio.cfg's htable of the answers to the BYEs Kamailio itself sent. */
	static final String BYE_ANSWERS = "byes";

	/** A BYE's answer takes the config's race guard (50 ms) plus a round trip: asked for this often. */
	private static final Duration BYE_ANSWER_POLL = Duration.ofMillis(25);

	private final KamailioRpcClient rpc;

	private final DialogView view;

	KamailioDialogControl(KamailioRpcClient rpc, DialogView view) {
		this.rpc = rpc;
		this.view = view;
	}

	@Override
	public boolean end(String sipCallId) {
		return endDialog(sipCallId) != null;
	}

	@Override
	public Optional<List<LegRelease>> endAndConfirm(String sipCallId, Duration wait) {
		@Nullable Dialog ended = endDialog(sipCallId);
		if (ended == null) {
			return Optional.empty();
		}
		if (ended.state() != Dialog.CONFIRMED && ended.state() != Dialog.CONFIRMED_WITHOUT_ACK) {
			// cancelled while ringing: Kamailio answers the caller, the CANCEL ends the callee's transaction
			return Optional.of(List.of(new LegRelease(LegRelease.CALLER, true, null),
					new LegRelease(LegRelease.CALLEE, true, null)));
		}
		return Optional.of(awaitByeAnswers(ended, wait));
	}

	/**
	 * Each party's answer to its BYE, as kamailio.cfg records it (htable {@code byes}, key {@code <Call-ID>::<tag of
	 * the party that answered>}, on the node that sent the BYEs: the dialog's owner), polled until both answered or
	 * {@code wait} is over.
	 */
	private List<LegRelease> awaitByeAnswers(Dialog dialog, Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		Map<String, Integer> answers = new LinkedHashMap<>();
		while (true) {
			for (Map.Entry<String, String> party : Map.of(LegRelease.CALLER, dialog.callerTag(), LegRelease.CALLEE,
					dialog.calleeTag()).entrySet()) {
				if (!answers.containsKey(party.getKey())) {
					Integer status = byeAnswer(dialog, party.getValue());
					if (status != null) {
						answers.put(party.getKey(), status);
					}
				}
			}
			if (answers.size() == 2 || System.nanoTime() >= deadline) {
				break;
			}
			try {
				Thread.sleep(BYE_ANSWER_POLL.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		return List.of(release(LegRelease.CALLER, answers.get(LegRelease.CALLER), wait),
				release(LegRelease.CALLEE, answers.get(LegRelease.CALLEE), wait));
	}

	private @Nullable Integer byeAnswer(Dialog dialog, String tag) {
		if (tag.isEmpty()) {
			return null;
		}
		try {
			JsonNode value = rpc.callOwnerOf(dialog.hId(), "htable.get", BYE_ANSWERS, dialog.callId() + "::" + tag)
				.path("item")
				.path("value");
			return value.isIntegralNumber() ? value.asInt() : null;
		}
		catch (KamailioRpcException ex) {
			// "Key name doesn't exist in htable": not answered yet; unreachable: asked again until the deadline
			return null;
		}
	}

	private static LegRelease release(String party, @Nullable Integer status, Duration wait) {
		if (status == null) {
			return new LegRelease(party, false, "no answer to its BYE within " + wait.toMillis() + " ms");
		}
		// 481 and 408: the party no longer has the call, which is what a BYE is for
		if (status == 200 || status == 481 || status == 408) {
			return new LegRelease(party, true, null);
		}
		return new LegRelease(party, false, "BYE answered " + status);
	}

	/** Ends the dialog; the dialog as it was when the request was sent, or null when there was none to end. */
	private @Nullable Dialog endDialog(String sipCallId) {
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
				return dialog;
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
				result.path("callee").path("tag").asString(""));
	}

	private void send(Dialog dialog, String listedId) {
		switch (dialog.state()) {
			case Dialog.UNCONFIRMED, Dialog.EARLY -> {
				if (!CSEQ_NUMBER.matcher(dialog.callerCseq()).matches()) {
					throw unavailable(KamailioRpcException.protocol("dlg.dlg_list", "no caller CSeq"));
				}
				// The number only: "1 INVITE" is "Transaction not found".
				JsonNode result = rpc.callOwnerOf(dialog.hId(), "tm.cancel", dialog.callId(), dialog.callerCseq());
				log.info("Cancelled ringing call {} (dialog {}:{}): {}", listedId, dialog.hEntry(), dialog.hId(),
						SipValues.text(result.asString("")));
			}
			case Dialog.CONFIRMED_WITHOUT_ACK, Dialog.CONFIRMED -> {
				// JSON numbers: as strings Kamailio answers 404 Dialog not found.
				rpc.callOwnerOf(dialog.hId(), "dlg.end_dlg", dialog.hEntry(), dialog.hId());
				log.info("Hung up call {} (dialog {}:{})", listedId, dialog.hEntry(), dialog.hId());
			}
			default -> throw unavailable(KamailioRpcException.protocol("dlg.dlg_list", "unknown dialog state"));
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

	/** What {@code dlg.dlg_list} tells about one dialog. */
	private record Dialog(String callId, long hEntry, long hId, int state, String callerCseq, String callerTag,
			String calleeTag) {

		static final int UNCONFIRMED = 1;

		static final int EARLY = 2;

		static final int CONFIRMED_WITHOUT_ACK = 3;

		static final int CONFIRMED = 4;

		static final int DELETED = 5;

	}

}
