package org.signaling.api.dn;

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

/** {@code /api/dn}: DN status for routing and agent dashboards. */
@RestController
@RequestMapping(path = "/api/dn", produces = "application/json")
class DnController {

	private final DnAnswers answers;

	private final Clock clock;

	DnController(DnAnswers answers, Clock clock) {
		this.answers = answers;
		this.clock = clock;
	}

	// A literal segment wins over a template in Spring's matching, so "list" is never read as a DN.
	@GetMapping("/list")
	ResponseEntity<ReadyJson<DnListResponse>> list(
			@RequestHeader(name = HttpHeaders.ACCEPT_ENCODING, required = false) @Nullable String acceptEncoding) {
		return ReadyJson.toResponse(answers.list(), HttpStatus.OK, acceptEncoding, clock);
	}

	@GetMapping("/{dn}")
	ResponseEntity<ReadyJson<DnResponse>> find(@PathVariable String dn,
			@RequestHeader(name = HttpHeaders.ACCEPT_ENCODING, required = false) @Nullable String acceptEncoding) {
		return ReadyJson.toResponse(answers.find(dn), HttpStatus.OK, acceptEncoding, clock);
	}

}
