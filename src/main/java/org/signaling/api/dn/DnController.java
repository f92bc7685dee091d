package org.signaling.api.dn;

import java.time.Clock;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/dn}: DN status for routing and agent dashboards. */
@RestController
@RequestMapping(path = "/api/dn", produces = "application/json")
class DnController {

	private final DnService dnService;

	private final Clock clock;

	DnController(DnService dnService, Clock clock) {
		this.dnService = dnService;
		this.clock = clock;
	}

	// A literal segment wins over a template in Spring's matching, so "list" is never read as a DN.
	@GetMapping("/list")
	ResponseEntity<DnListResponse> list() {
		return dnService.list().toResponse(HttpStatus.OK, clock);
	}

	@GetMapping("/{dn}")
	ResponseEntity<DnResponse> find(@PathVariable String dn) {
		return dnService.find(dn).toResponse(HttpStatus.OK, clock);
	}

}
