package org.signaling.api.call;

import java.net.URI;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.signaling.api.call.internal.CallDetailsReader;
import org.signaling.api.call.internal.CallHangups;
import org.signaling.api.shared.AuditAttributes;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Click-to-dial, hang-up and a call's record: {@code POST /api/call/make}, {@code POST /api/call/hangup},
 * {@code GET /api/calls/{call_id}}.
 */
@RestController
class CallControlController {

	static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	private final CallControlService calls;

	private final CallHangups hangups;

	private final CallDetailsReader details;

	CallControlController(CallControlService calls, CallHangups hangups, CallDetailsReader details) {
		this.calls = calls;
		this.hangups = hangups;
		this.details = details;
	}

	@PostMapping(path = "/api/call/make", consumes = "application/json", produces = "application/json")
	ResponseEntity<MakeCallResponse> make(@RequestBody MakeCallRequest request,
			@RequestHeader(name = IDEMPOTENCY_KEY, required = false) @Nullable String idempotencyKey,
			HttpServletRequest servletRequest) {
		audit(servletRequest, AuditAttributes.FROM, request.from());
		audit(servletRequest, AuditAttributes.TO, request.to());
		CallControlService.Placed placed = calls.make(request, idempotencyKey);
		servletRequest.setAttribute(AuditAttributes.CALL_ID, placed.response().callId());
		ResponseEntity.BodyBuilder response = ResponseEntity.accepted()
			.location(URI.create("/api/calls/" + placed.response().callId()));
		if (placed.replayed()) {
			response.header("Idempotent-Replayed", "true");
		}
		return response.body(placed.response());
	}

	@PostMapping(path = "/api/call/hangup", consumes = "application/json", produces = "application/json")
	HangupResponse hangup(@RequestBody HangupRequest request, HttpServletRequest servletRequest) {
		audit(servletRequest, AuditAttributes.CALL_ID, request.callId());
		List<LegRelease> notReleased = hangups.hangUp(request.callId());
		return HangupResponse.terminated(request.callId(), notReleased);
	}

	/** Only values that match their grammar are kept for the audit line: nothing a client sent can forge one. */
	private static void audit(HttpServletRequest request, String attribute, @Nullable String value) {
		if (value != null && value.matches("[A-Za-z0-9@._:+~!%*'()#-]{1,128}")) {
			request.setAttribute(attribute, value);
		}
	}

	@GetMapping(path = "/api/calls/{callId}", produces = "application/json")
	CallDetailsResponse details(@PathVariable String callId) {
		return details.details(callId);
	}

}
