package org.signaling.api.shared;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place an error body is made, whichever path answers: the controller advice, the {@code /error} page,
 * Tomcat's error report, the security filters and the CORS rejection. Every body is an RFC 9457 problem
 * ({@code type}, {@code title}, {@code status}, {@code detail}) that also carries the seed's {@code error}, the same
 * text as {@code detail}: {@code {"error": "DN not found: 5001", "type": "urn:signaling-api:problem:dn-not-found",
 * ...}}. {@code instance} is left out: the request's URI is the only candidate, and echoing what a client sent is
 * what this API avoids.
 */
public final class Problems {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** The catalogue's type for a status when nothing more specific is known, e.g. any 404 is "not-found". */
	private static final Map<Integer, ProblemType> GENERIC = Map.of(404, ProblemType.NOT_FOUND, 405,
			ProblemType.METHOD_NOT_ALLOWED, 406, ProblemType.NOT_ACCEPTABLE, 413, ProblemType.PAYLOAD_TOO_LARGE, 415,
			ProblemType.UNSUPPORTED_MEDIA_TYPE, 429, ProblemType.RATE_LIMITED, 500, ProblemType.INTERNAL_ERROR);

	private Problems() {
	}

	/** The body for a catalogued failure. */
	public static ProblemDetail of(ProblemType type, String detail) {
		return body(type.status(), type.uri(), type.title(), detail);
	}

	/**
	 * The body for a failure known only by its status: the catalogue's generic type for the status (404
	 * "not-found", 429 "rate-limited", ...), else one named after it ({@code urn:signaling-api:problem:bad-request}).
	 */
	public static ProblemDetail forStatus(HttpStatusCode status, String detail) {
		ProblemType generic = GENERIC.get(status.value());
		if (generic != null) {
			return of(generic, detail);
		}
		HttpStatus known = HttpStatus.resolve(status.value());
		String slug = (known != null) ? known.name().toLowerCase(Locale.ROOT).replace('_', '-')
				: "http-" + status.value();
		return body(status, URI.create(ProblemType.PREFIX + slug),
				(known != null) ? known.getReasonPhrase() : "HTTP " + status.value(), detail);
	}

	/** An exception a feature throws for a catalogued failure that has no exception class of its own. */
	public static ErrorResponseException exception(ProblemType type, String detail) {
		return new ErrorResponseException(type.status(), of(type, detail), null);
	}

	/** Answers with the problem from a servlet filter, where no controller advice runs. */
	public static void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter().write(json(problem));
	}

	/** The problem as JSON, in the order Spring MVC writes it, for paths that write bytes themselves. */
	public static String json(ProblemDetail problem) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", problem.getType().toString());
		body.put("title", problem.getTitle());
		body.put("status", problem.getStatus());
		body.put("detail", problem.getDetail());
		if (problem.getProperties() != null) {
			body.putAll(problem.getProperties());
		}
		return JSON.writeValueAsString(body);
	}

	private static ProblemDetail body(HttpStatusCode status, URI type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		problem.setProperty("error", detail);
		return problem;
	}

}
