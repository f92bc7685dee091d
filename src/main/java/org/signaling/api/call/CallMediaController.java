package org.signaling.api.call;

import java.net.URI;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.signaling.api.call.MediaControlApi.DtmfRequest;
import org.signaling.api.call.MediaControlApi.DtmfResponse;
import org.signaling.api.call.MediaControlApi.HoldResponse;
import org.signaling.api.call.MediaControlApi.MonitorModeRequest;
import org.signaling.api.call.MediaControlApi.MonitorRequest;
import org.signaling.api.call.MediaControlApi.MonitorResponse;
import org.signaling.api.call.MediaControlApi.MuteRequest;
import org.signaling.api.call.MediaControlApi.MuteResponse;
import org.signaling.api.call.MediaControlApi.RecordingRequest;
import org.signaling.api.call.MediaControlApi.RecordingResponse;
import org.signaling.api.call.MediaControlApi.TransferRequest;
import org.signaling.api.call.MediaControlApi.TransferResponse;
import org.signaling.api.call.internal.CallMedia;
import org.signaling.api.call.internal.ControlRequests;
import org.signaling.api.shared.AuditAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Call control on calls Asterisk carries: hold, DTMF, mute, recording, transfers and monitors. Every POST, PATCH and
 * DELETE takes an Idempotency-Key (its answer is replayed, with {@code Idempotent-Replayed: true}).
 */
@RestController
class CallMediaController {

	private static final String KEY = CallControlController.IDEMPOTENCY_KEY;

	private final CallMedia media;

	private final ControlRequests requests;

	CallMediaController(CallMedia media, ControlRequests requests) {
		this.media = media;
		this.requests = requests;
	}

	@PostMapping(path = "/api/calls/{callId}/hold", produces = "application/json")
	ResponseEntity<HoldResponse> hold(@PathVariable String callId, @RequestHeader(name = KEY, required = false)
	@Nullable String key, HttpServletRequest request) {
		audit(request, callId);
		return once(HttpStatus.OK, key, "hold " + callId, HoldResponse.class, () -> media.hold(callId, true));
	}

	@PostMapping(path = "/api/calls/{callId}/unhold", produces = "application/json")
	ResponseEntity<HoldResponse> unhold(@PathVariable String callId, @RequestHeader(name = KEY, required = false)
	@Nullable String key, HttpServletRequest request) {
		audit(request, callId);
		return once(HttpStatus.OK, key, "unhold " + callId, HoldResponse.class, () -> media.hold(callId, false));
	}

	@PostMapping(path = "/api/calls/{callId}/dtmf", consumes = "application/json", produces = "application/json")
	ResponseEntity<DtmfResponse> dtmf(@PathVariable String callId, @RequestBody DtmfRequest body,
			@RequestHeader(name = KEY, required = false) @Nullable String key, HttpServletRequest request) {
		audit(request, callId);
		return once(HttpStatus.ACCEPTED, key, "dtmf " + callId + " " + body, DtmfResponse.class,
				() -> media.dtmf(callId, body));
	}

	@PostMapping(path = "/api/calls/{callId}/mute", consumes = "application/json", produces = "application/json")
	ResponseEntity<MuteResponse> mute(@PathVariable String callId, @RequestBody MuteRequest body,
			@RequestHeader(name = KEY, required = false) @Nullable String key, HttpServletRequest request) {
		audit(request, callId);
		return once(HttpStatus.OK, key, "mute " + callId + " " + body, MuteResponse.class,
				() -> media.mute(callId, body));
	}

	@PostMapping(path = "/api/calls/{callId}/recording", consumes = "application/json",
			produces = "application/json")
	ResponseEntity<RecordingResponse> recording(@PathVariable String callId, @RequestBody RecordingRequest body,
			@RequestHeader(name = KEY, required = false) @Nullable String key, HttpServletRequest request) {
		audit(request, callId);
		return once(HttpStatus.OK, key, "recording " + callId + " " + body, RecordingResponse.class,
				() -> media.recording(callId, body));
	}

	@PostMapping(path = "/api/calls/{callId}/transfers", consumes = "application/json",
			produces = "application/json")
	ResponseEntity<TransferResponse> transfer(@PathVariable String callId, @RequestBody TransferRequest body,
			@RequestHeader(name = KEY, required = false) @Nullable String key, HttpServletRequest request) {
		audit(request, callId);
		ResponseEntity<TransferResponse> answer = once(HttpStatus.ACCEPTED, key, "transfer " + callId + " " + body,
				TransferResponse.class, () -> media.transfer(callId, body));
		return withLocation(answer, "/api/transfers/" + answer.getBody().transferId());
	}

	@GetMapping(path = "/api/transfers/{transferId}", produces = "application/json")
	TransferResponse transferState(@PathVariable String transferId) {
		return media.transfer(transferId);
	}

	@PostMapping(path = "/api/transfers/{transferId}/complete", produces = "application/json")
	ResponseEntity<TransferResponse> completeTransfer(@PathVariable String transferId,
			@RequestHeader(name = KEY, required = false) @Nullable String key) {
		return once(HttpStatus.OK, key, "complete " + transferId, TransferResponse.class,
				() -> media.completeTransfer(transferId));
	}

	@DeleteMapping(path = "/api/transfers/{transferId}", produces = "application/json")
	ResponseEntity<TransferResponse> cancelTransfer(@PathVariable String transferId,
			@RequestHeader(name = KEY, required = false) @Nullable String key) {
		return once(HttpStatus.OK, key, "cancel " + transferId, TransferResponse.class,
				() -> media.cancelTransfer(transferId));
	}

	@PostMapping(path = "/api/calls/{callId}/monitors", consumes = "application/json",
			produces = "application/json")
	ResponseEntity<MonitorResponse> monitor(@PathVariable String callId, @RequestBody MonitorRequest body,
			@RequestHeader(name = KEY, required = false) @Nullable String key, HttpServletRequest request) {
		audit(request, callId);
		ResponseEntity<MonitorResponse> answer = once(HttpStatus.ACCEPTED, key, "monitor " + callId + " " + body,
				MonitorResponse.class, () -> media.monitor(callId, body));
		return withLocation(answer, "/api/monitors/" + answer.getBody().monitorId());
	}

	@PatchMapping(path = "/api/monitors/{monitorId}", consumes = "application/json", produces = "application/json")
	ResponseEntity<MonitorResponse> monitorMode(@PathVariable String monitorId, @RequestBody MonitorModeRequest body,
			@RequestHeader(name = KEY, required = false) @Nullable String key) {
		return once(HttpStatus.OK, key, "mode " + monitorId + " " + body, MonitorResponse.class,
				() -> media.monitorMode(monitorId, body.mode()));
	}

	@DeleteMapping(path = "/api/monitors/{monitorId}", produces = "application/json")
	ResponseEntity<MonitorResponse> endMonitor(@PathVariable String monitorId,
			@RequestHeader(name = KEY, required = false) @Nullable String key) {
		return once(HttpStatus.OK, key, "end " + monitorId, MonitorResponse.class,
				() -> media.endMonitor(monitorId));
	}

	private <T> ResponseEntity<T> once(HttpStatus status, @Nullable String key, String fingerprint, Class<T> type,
			Supplier<T> action) {
		ControlRequests.Answer<T> answer = requests.once(key, fingerprint, type, action);
		ResponseEntity.BodyBuilder response = ResponseEntity.status(status);
		if (answer.replayed()) {
			response.header("Idempotent-Replayed", "true");
		}
		return response.body(answer.value());
	}

	private static <T> ResponseEntity<T> withLocation(ResponseEntity<T> answer, String location) {
		return ResponseEntity.status(answer.getStatusCode())
			.headers(answer.getHeaders())
			.location(URI.create(location))
			.body(answer.getBody());
	}

	/** Only a call id in its grammar is kept for the audit line. */
	private static void audit(HttpServletRequest request, String callId) {
		if (CallIds.isValid(callId)) {
			request.setAttribute(AuditAttributes.CALL_ID, callId);
		}
	}

}
