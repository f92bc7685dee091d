package org.signaling.api.dn;

import org.jspecify.annotations.Nullable;
import org.signaling.api.shared.ReadyAnswer;
import org.signaling.api.shared.ReadyRead;
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

	@ReadyRead(conditional = false)
	@GetMapping("/dn/{dn}")
	ReadyAnswer<RoutingAnswer> lookup(@PathVariable String dn) {
		return withAge(lookups.lookup(dn));
	}

	@ReadyRead(conditional = false)
	@GetMapping("/select")
	ReadyAnswer<RoutingAnswer> select(@RequestParam(required = false) @Nullable String candidates,
			@RequestParam(required = false) @Nullable String strategy) {
		return withAge(lookups.select(candidates, strategy));
	}

	/** Always 200; the age in the header too, as every answer from the live view carries it. */
	private static ReadyAnswer<RoutingAnswer> withAge(RoutingAnswer answer) {
		return ReadyAnswer.perRequest(answer, answer.stateAgeMs());
	}

}
