package org.signaling.api.web;

import org.jspecify.annotations.Nullable;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.ProblemType;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Which catalogued problem type an exception raised in a handler is: the type its thrower set (every feature exception
 * builds its body with {@link org.signaling.api.shared.Problems#of}), or the backend a
 * {@link BackendUnavailableException} names; otherwise only the status is known.
 */
final class ProblemClassifier {

	private ProblemClassifier() {
	}

	/** The catalogued type, or null when only the status is known. */
	static @Nullable ProblemType typeOf(Exception ex, @Nullable ProblemDetail raised, HttpStatusCode status) {
		ProblemType type = classify(ex, raised);
		// a type that does not go with the status answered would mislead: better the generic one
		return (type != null && type.status().value() == status.value()) ? type : null;
	}

	private static @Nullable ProblemType classify(Exception ex, @Nullable ProblemDetail raised) {
		if (raised != null && ProblemType.of(raised.getType()).isPresent()) {
			return ProblemType.of(raised.getType()).get();
		}
		if (ex instanceof BackendUnavailableException unavailable) {
			return switch (unavailable.backend()) {
				case "kamailio" -> ProblemType.KAMAILIO_UNREACHABLE;
				case "asterisk" -> ProblemType.ASTERISK_UNREACHABLE;
				case "database" -> ProblemType.DATABASE_UNAVAILABLE;
				default -> ProblemType.BACKEND_UNAVAILABLE;
			};
		}
		return null;
	}

}
