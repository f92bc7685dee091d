package org.signaling.api.call;

import java.time.Clock;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
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
	ResponseEntity<ActiveCallsResponse> active() {
		return calls.activeCalls().toResponse(HttpStatus.OK, clock);
	}

	@GetMapping("/dn/{dn}")
	ResponseEntity<DnCallsResponse> ofDn(@PathVariable String dn) {
		return calls.callsOf(dn).toResponse(HttpStatus.OK, clock);
	}

}
