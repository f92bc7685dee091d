package org.signaling.api.dn;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.Observed;
import org.signaling.api.shared.ProblemType;
import org.signaling.api.shared.Problems;
import org.springframework.stereotype.Service;

/**
 * Routing lookups for Genesys routing (data actions, ORS, URS): always an answer, never an error, except for a
 * request that is itself wrong (a malformed DN, too many candidates, an unknown strategy: 400; another DN than an
 * agent token's own: 403). Kamailio being away is an answer too ({@code kamailio_unreachable}), because a routing
 * strategy treats any non-200 as a failure of its own.
 */
@Service
class RoutingLookups {

	/** Candidates of one selection, at most: a routing target list, not a directory scan. */
	static final int MAX_CANDIDATES = 20;

	private final DnAnswers answers;

	private final DnService dnService;

	private final Clock clock;

	RoutingLookups(DnAnswers answers, DnService dnService, Clock clock) {
		this.answers = answers;
		this.dnService = dnService;
		this.clock = clock;
	}

	RoutingAnswer lookup(String dn) {
		DnSyntax.requireValid(dn);
		dnService.requireVisible(dn);
		try {
			Observed<RoutingAnswer> answer = answers.route(dn);
			return answer.value().stamped(answer.age(clock).toMillis(), 1);
		}
		catch (BackendUnavailableException ex) {
			return dnService.kamailioUnreachable(dn);
		}
	}

	/**
	 * One of the candidates by the strategy; when none is available, the first candidate's own answer (its reason
	 * says why) with every candidate counted as tried.
	 */
	RoutingAnswer select(@Nullable String candidatesParameter, @Nullable String strategyParameter) {
		List<String> candidates = candidates(candidatesParameter);
		Strategy strategy = Strategy.of(strategyParameter);
		List<RoutingAnswer> found = new ArrayList<>(candidates.size());
		long ageMs;
		try {
			long oldest = 0;
			for (String dn : candidates) {
				Observed<RoutingAnswer> answer = answers.route(dn);
				found.add(answer.value());
				oldest = Math.max(oldest, answer.age(clock).toMillis());
			}
			ageMs = oldest;
		}
		catch (BackendUnavailableException ex) {
			return dnService.kamailioUnreachable(candidates.get(0));
		}
		int tried = found.size();
		return switch (strategy) {
			case FIRST -> {
				for (int i = 0; i < found.size(); i++) {
					if (found.get(i).available()) {
						yield found.get(i).stamped(ageMs, i + 1);
					}
				}
				yield found.get(0).stamped(ageMs, tried);
			}
			case RANDOM -> {
				List<RoutingAnswer> available = found.stream().filter(RoutingAnswer::available).toList();
				yield (available.isEmpty() ? found.get(0)
						: available.get(ThreadLocalRandom.current().nextInt(available.size())))
					.stamped(ageMs, tried);
			}
			// the registered candidate in the fewest calls (an idle one is available); the first on a tie
			case LEAST_BUSY -> found.stream()
				.filter(RoutingAnswer::registered)
				.min(Comparator.comparingInt(RoutingAnswer::activeCallCount))
				.orElse(found.get(0))
				.stamped(ageMs, tried);
		};
	}

	/** The comma-separated candidates, each a visible, well-formed DN, in order, each once. */
	private List<String> candidates(@Nullable String parameter) {
		if (parameter == null || parameter.isBlank()) {
			throw Problems.exception(ProblemType.MISSING_PARAMETER, "Missing required parameter: candidates");
		}
		String[] parts = parameter.split(",", MAX_CANDIDATES + 2);
		if (parts.length > MAX_CANDIDATES) {
			throw Problems.exception(ProblemType.INVALID_PARAMETER,
					"Invalid candidates: at most " + MAX_CANDIDATES + " DNs");
		}
		Set<String> candidates = new LinkedHashSet<>();
		for (String part : parts) {
			String dn = DnSyntax.requireValid(part.strip());
			dnService.requireVisible(dn);
			candidates.add(dn);
		}
		return List.copyOf(candidates);
	}

	enum Strategy {

		FIRST, LEAST_BUSY, RANDOM;

		static Strategy of(@Nullable String parameter) {
			if (parameter == null) {
				return FIRST;
			}
			for (Strategy strategy : values()) {
				if (strategy.name().toLowerCase(Locale.ROOT).equals(parameter)) {
					return strategy;
				}
			}
			throw Problems.exception(ProblemType.INVALID_PARAMETER,
					"Invalid strategy: expected first, least_busy or random");
		}

	}

}
