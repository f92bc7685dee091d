package org.signaling.api.call;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** Click-to-dial, hang-up and a call's record: {@code POST /api/call/make}, {@code POST /api/call/hangup}, {@code GET /api/calls/{call_id}}. */
@RestController
class CallControlController {

	static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	private final CallControlService calls;

	CallControlController(CallControlService calls) {
		this.calls = calls;
	}

	@PostMapping(path = "/api/call/make", consumes = "application/json", produces = "application/json")
	ResponseEntity<MakeCallResponse> make(@RequestBody MakeCallRequest request,
			@RequestHeader(name = IDEMPOTENCY_KEY, required = false) @Nullable String idempotencyKey) {
		CallControlService.Placed placed = calls.make(request, idempotencyKey);
		ResponseEntity.BodyBuilder response = ResponseEntity.accepted()
			.location(URI.create("/api/calls/" + placed.response().callId()));
		if (placed.replayed()) {
			response.header("Idempotent-Replayed", "true");
		}
		return response.body(placed.response());
	}

	@PostMapping(path = "/api/call/hangup", consumes = "application/json", produces = "application/json")
	HangupResponse hangup(@RequestBody HangupRequest request) {
		return calls.hangup(request);
	}

	@GetMapping(path = "/api/calls/{callId}", produces = "application/json")
	CallDetailsResponse details(@PathVariable String callId) {
		return calls.details(callId);
	}

}
