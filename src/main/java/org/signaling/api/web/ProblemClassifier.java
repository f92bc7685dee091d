package org.signaling.api.web;

import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.ProblemType;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Which catalogued problem type an exception raised in a handler is. A type the thrower set itself (see
 * {@link org.signaling.api.shared.Problems#exception}) wins; the features' own exception classes are named here by
 * their simple names, so that they need not know the catalogue and the web module needs none of their imports.
 * {@code ErrorContractTests} throws each of them, so a renamed class fails a test, not a client.
 */
final class ProblemClassifier {

	private static final Map<String, ProblemType> BY_EXCEPTION = Map.of("InvalidDnException", ProblemType.INVALID_DN,
			"DnNotFoundException", ProblemType.DN_NOT_FOUND, "DnAccessDeniedException", ProblemType.DN_ACCESS_DENIED,
			"CallNotFoundException", ProblemType.CALL_NOT_FOUND, "PbxRejectedException", ProblemType.PBX_REJECTED,
			"WebhookNotFoundException", ProblemType.WEBHOOK_NOT_FOUND, "WebhookConflictException",
			ProblemType.WEBHOOK_CONFLICT);

	/** One class each for every way a request can be wrong; told apart by the message grammar they share. */
	private static final Set<String> INVALID_REQUEST = Set.of("InvalidCallRequestException",
			"InvalidWebhookRequestException");

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
		String name = ex.getClass().getSimpleName();
		if (INVALID_REQUEST.contains(name) && raised != null) {
			return invalidRequest(raised);
		}
		return BY_EXCEPTION.get(name);
	}

	private static ProblemType invalidRequest(ProblemDetail raised) {
		String detail = (raised.getDetail() != null) ? raised.getDetail() : "";
		if (raised.getStatus() == ProblemType.IDEMPOTENCY_CONFLICT.status().value()) {
			// the two 422s of make-call
			return detail.startsWith("Idempotency-Key") ? ProblemType.IDEMPOTENCY_CONFLICT : ProblemType.CALL_TO_SELF;
		}
		return detail.startsWith("Missing required parameter") ? ProblemType.MISSING_PARAMETER
				: ProblemType.INVALID_PARAMETER;
	}

}
