package org.signaling.api.web;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

/**
 * The {@code error} text for a status. Our own exceptions carry a client-facing message; Spring's framework
 * exceptions sometimes carry text that names Java types or echoes raw input, which is replaced by a plain one.
 */
final class ErrorMessages {

	private ErrorMessages() {
	}

	static String forClient(@Nullable String detail, HttpStatusCode status) {
		if (detail != null && !detail.isBlank() && !looksInternal(detail)) {
			return detail;
		}
		return generic(status);
	}

	static String generic(HttpStatusCode status) {
		return switch (status.value()) {
			case 400 -> "Bad request";
			case 404 -> "Not found";
			case 405 -> "Method not allowed";
			case 406 -> "Not acceptable: this API produces application/json";
			case 413 -> "Request body too large";
			case 422 -> "Unprocessable request";
			case 502 -> "Bad gateway";
			case 415 -> "Unsupported media type: use application/json";
			case 429 -> "Rate limit exceeded";
			case 503 -> "Service unavailable";
			default -> {
				HttpStatus known = HttpStatus.resolve(status.value());
				yield (known != null) ? known.getReasonPhrase() : "Error";
			}
		};
	}

	// Framework messages such as "Failed to convert value of type 'java.lang.String' ..." or
	// "No static resource api/x." are not meant for API clients.
	private static boolean looksInternal(String detail) {
		return detail.contains("java.") || detail.contains("static resource") || detail.contains("Exception")
				|| detail.contains("\n") || detail.contains("\r");
	}

}
