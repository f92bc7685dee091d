package org.signaling.api.genesys;

import java.time.Clock;

import org.jspecify.annotations.Nullable;
import org.signaling.api.shared.Observed;
import org.signaling.api.shared.ReadyJson;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/genesys/status}: 200 while the Genesys SIP Server answers Kamailio's probes, 503 with the same
 * fields and an {@code error} otherwise, so plain HTTP monitors see an outage too.
 */
@RestController
class GenesysStatusController {

	private final GenesysStatusService genesys;

	private final Clock clock;

	GenesysStatusController(GenesysStatusService genesys, Clock clock) {
		this.genesys = genesys;
		this.clock = clock;
	}

	@GetMapping(path = "/api/genesys/status", produces = "application/json")
	ResponseEntity<ReadyJson<GenesysStatus>> status(
			@RequestHeader(name = HttpHeaders.ACCEPT_ENCODING, required = false) @Nullable String acceptEncoding) {
		Observed<GenesysStatusService.Ready> ready = genesys.readyStatus();
		HttpStatus status = ready.value().status().isReachable() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE;
		return ReadyJson.toResponse(ready.map(GenesysStatusService.Ready::json), status, acceptEncoding, clock);
	}

}
