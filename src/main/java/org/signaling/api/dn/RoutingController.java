package org.signaling.api.dn;

import org.jspecify.annotations.Nullable;
import org.signaling.api.shared.Observed;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/routing}: flat, always-200 routing lookups for Genesys (see {@link RoutingAnswer}). */
@RestController
@RequestMapping(path = "/api/routing", produces = "application/json")
class RoutingController {

	private final RoutingLookups lookups;

	RoutingController(RoutingLookups lookups) {
		this.lookups = lookups;
	}

	@GetMapping("/dn/{dn}")
	ResponseEntity<RoutingAnswer> lookup(@PathVariable String dn) {
		return withAge(lookups.lookup(dn));
	}

	@GetMapping("/select")
	ResponseEntity<RoutingAnswer> select(@RequestParam(required = false) @Nullable String candidates,
			@RequestParam(required = false) @Nullable String strategy) {
		return withAge(lookups.select(candidates, strategy));
	}

	/** Always 200; the age in the header too, as every answer from the live view carries it. */
	private static ResponseEntity<RoutingAnswer> withAge(RoutingAnswer answer) {
		return ResponseEntity.ok().header(Observed.AGE_HEADER, Long.toString(answer.stateAgeMs())).body(answer);
	}

}
