package org.signaling.api.call;

import java.time.Clock;

import org.jspecify.annotations.Nullable;
import org.signaling.api.shared.ReadyJson;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/calls}: call volume and per-DN calls for dashboards. */
@RestController
@RequestMapping(path = "/api/calls", produces = "application/json")
class CallQueryController {

	private final CallQueryService calls;

	private final Clock clock;

	CallQueryController(CallQueryService calls, Clock clock) {
		this.calls = calls;
		this.clock = clock;
	}

	@GetMapping("/active")
	ResponseEntity<ReadyJson<ActiveCallsResponse>> active(
			@RequestHeader(name = HttpHeaders.ACCEPT_ENCODING, required = false) @Nullable String acceptEncoding) {
		return ReadyJson.toResponse(calls.activeCalls(), HttpStatus.OK, acceptEncoding, clock);
	}

	@GetMapping("/dn/{dn}")
	ResponseEntity<ReadyJson<DnCallsResponse>> ofDn(@PathVariable String dn,
			@RequestHeader(name = HttpHeaders.ACCEPT_ENCODING, required = false) @Nullable String acceptEncoding) {
		return ReadyJson.toResponse(calls.callsOf(dn), HttpStatus.OK, acceptEncoding, clock);
	}

}
