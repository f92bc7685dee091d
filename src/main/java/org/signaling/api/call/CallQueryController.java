package org.signaling.api.call;

import org.signaling.api.shared.ReadyAnswer;
import org.signaling.api.shared.ReadyRead;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/calls}: call volume and per-DN calls for dashboards. */
@RestController
@RequestMapping(path = "/api/calls", produces = "application/json")
class CallQueryController {

	private final CallQueryService calls;

	CallQueryController(CallQueryService calls) {
		this.calls = calls;
	}

	@ReadyRead
	@GetMapping("/active")
	ReadyAnswer<ActiveCallsResponse> active() {
		return ReadyAnswer.ok(calls.activeCalls());
	}

	@ReadyRead
	@GetMapping("/dn/{dn}")
	ReadyAnswer<DnCallsResponse> ofDn(@PathVariable String dn) {
		return ReadyAnswer.ok(calls.callsOf(dn));
	}

}
