package org.signaling.api.call;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The bodies of the call control sub-resources ({@code /api/calls/{id}/hold}, {@code /dtmf}, {@code /mute},
 * {@code /recording}, {@code /transfers}, {@code /monitors}, {@code /api/transfers/{id}}, {@code /api/monitors/{id}}).
 * Every value is checked by {@link org.signaling.api.call.internal.CallMedia} before anything reaches Asterisk.
 */
public final class MediaControlApi {

	private MediaControlApi() {
	}

	/**
	 * @param digits 1 to 32 of {@code 0-9 * # A-D}, sent toward the customer's side in order
	 * @param durationMs each digit's length, 40 to 2000 ms (default 100)
	 */
	@Schema(name = "DtmfRequest")
	public record DtmfRequest(@Nullable String digits, @JsonProperty("duration_ms") @Nullable Integer durationMs) {
	}

	/**
	 * @param direction "in" (what the agent says), "out" (what the agent hears) or "all"
	 * @param state "on" or "off"
	 */
	@Schema(name = "MuteRequest")
	public record MuteRequest(@Nullable String direction, @Nullable String state) {
	}

	/** @param action "start", "stop", "pause" (while card details are read) or "resume" */
	@Schema(name = "RecordingRequest")
	public record RecordingRequest(@Nullable String action) {
	}

	/**
	 * @param to the destination, as in {@code POST /api/call/make}
	 * @param mode "blind" (the default: the customer goes, the agent leaves) or "attended" (the agent talks to
	 * {@code to} first)
	 * @param timeout seconds {@code to} may ring in an attended transfer before it is abandoned, 5 to 120 (default 20)
	 */
	@Schema(name = "TransferRequest")
	public record TransferRequest(@Nullable String to, @Nullable String mode, @Nullable Integer timeout) {
	}

	/**
	 * @param supervisorDn the DN whose phone is rung and joins the call
	 * @param mode "listen" (the default), "whisper" (the agent hears the supervisor, the customer does not) or
	 * "barge" (both do)
	 */
	@Schema(name = "MonitorRequest")
	public record MonitorRequest(@JsonProperty("supervisor_dn") @Nullable String supervisorDn,
			@Nullable String mode) {
	}

	/** @param mode "listen", "whisper" or "barge" */
	@Schema(name = "MonitorModeRequest")
	public record MonitorModeRequest(@Nullable String mode) {
	}

	/** @param held whether the customer is on hold now */
	@Schema(name = "HoldResponse")
	public record HoldResponse(@JsonProperty("call_id") String callId, boolean held) {
	}

	/** @param digits the digits queued toward the customer's side */
	@Schema(name = "DtmfResponse")
	public record DtmfResponse(@JsonProperty("call_id") String callId, String digits,
			@JsonProperty("duration_ms") int durationMs) {
	}

	@Schema(name = "MuteResponse")
	public record MuteResponse(@JsonProperty("call_id") String callId, String direction, String state) {
	}

	/**
	 * @param state "recording", "paused" or "stopped"
	 * @param file the file Asterisk writes (in its monitor directory)
	 */
	@Schema(name = "RecordingResponse")
	public record RecordingResponse(@JsonProperty("recording_id") String recordingId,
			@JsonProperty("call_id") String callId, String state, String file) {
	}

	/**
	 * @param state "ringing", "answered", "completed", "cancelled", "failed" or "abandoned" (the call ended first);
	 * a blind transfer is "completed" as soon as Asterisk took it
	 */
	@Schema(name = "TransferResponse")
	public record TransferResponse(@JsonProperty("transfer_id") String transferId,
			@JsonProperty("call_id") String callId, String to, String mode, String state) {
	}

	/** @param state "ringing" (the supervisor's phone), "active" or "ended" */
	@Schema(name = "MonitorResponse")
	public record MonitorResponse(@JsonProperty("monitor_id") String monitorId,
			@JsonProperty("call_id") String callId, @JsonProperty("supervisor_dn") String supervisorDn,
			String mode, String state) {
	}

}
