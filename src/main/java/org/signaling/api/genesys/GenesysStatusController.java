package org.signaling.api.genesys;

import org.signaling.api.shared.Observed;
import org.signaling.api.shared.ReadyAnswer;
import org.signaling.api.shared.ReadyRead;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/genesys/status}: 200 while the Genesys SIP Server answers Kamailio's probes, 503 with the same
 * fields and an {@code error} otherwise, so plain HTTP monitors see an outage too.
 */
@RestController
class GenesysStatusController {

	private final GenesysStatusService genesys;

	GenesysStatusController(GenesysStatusService genesys) {
		this.genesys = genesys;
	}

	@ReadyRead
	@GetMapping(path = "/api/genesys/status", produces = "application/json")
	ReadyAnswer<GenesysStatus> status() {
		Observed<GenesysStatusService.Ready> ready = genesys.readyStatus();
		HttpStatus status = ready.value().status().isReachable() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE;
		return ReadyAnswer.of(ready.map(GenesysStatusService.Ready::json), status);
	}

}
