package org.signaling.api.web;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.ProblemType;
import org.signaling.api.shared.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one error contract for everything Spring MVC handles. Every failure is an RFC 9457 problem from
 * {@link Problems} with the failure's own type ({@code urn:signaling-api:problem:dn-not-found}) that also carries the
 * seed's {@code error} member ({@code {"error": "DN not found: 5001"}}), so clients written against the seed keep
 * working. Nothing internal (class names, stack traces, backend URLs) reaches the client.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

	@ExceptionHandler(BackendUnavailableException.class)
	ResponseEntity<Object> backendUnavailable(BackendUnavailableException ex, WebRequest request) {
		ProblemDetail problem = Problems.forStatus(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
		problem.setProperty("backend", ex.backend());
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, Integer.toString(BackendUnavailableException.RETRY_AFTER_SECONDS));
		return handleExceptionInternal(ex, problem, headers, HttpStatus.SERVICE_UNAVAILABLE, request);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		if (causedByBodyLimit(ex)) {
			ProblemDetail problem = Problems.of(ProblemType.PAYLOAD_TOO_LARGE,
					ErrorMessages.generic(HttpStatus.CONTENT_TOO_LARGE));
			return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
		}
		boolean missing = ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing");
		ProblemDetail problem = missing ? Problems.of(ProblemType.MISSING_BODY, "Missing request body")
				: Problems.of(ProblemType.MALFORMED_JSON, "Malformed JSON request body");
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemDetail problem = Problems.of(ProblemType.UNSUPPORTED_MEDIA_TYPE,
				ErrorMessages.generic(HttpStatus.UNSUPPORTED_MEDIA_TYPE));
		return handleExceptionInternal(ex, problem, headers, HttpStatus.UNSUPPORTED_MEDIA_TYPE, request);
	}

	private static boolean causedByBodyLimit(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof RequestBodyLimitFilter.BodyTooLargeException) {
				return true;
			}
		}
		return false;
	}

	/** The database (calls, Idempotency-Keys) cannot be reached: a backend failure like the others, not a bug. */
	@ExceptionHandler(DataAccessResourceFailureException.class)
	ResponseEntity<Object> databaseUnavailable(DataAccessResourceFailureException ex, WebRequest request) {
		log.warn("Database unavailable: {}", ex.getMostSpecificCause().getMessage());
		return backendUnavailable(new BackendUnavailableException("database", "Database unavailable", ex), request);
	}

	/**
	 * A query string Tomcat cannot decode ({@code ?dn=%zz}, a lone {@code %}, bytes that are not UTF-8): the client's
	 * mistake. Tomcat's message quotes the raw value, so it is neither logged nor echoed.
	 */
	@ExceptionHandler(InvalidParameterException.class)
	ResponseEntity<Object> malformedQuery(InvalidParameterException ex, WebRequest request) {
		ProblemDetail problem = Problems.of(ProblemType.MALFORMED_REQUEST,
				"Malformed query string: parameters must be percent-encoded UTF-8");
		return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
	}

	/**
	 * Spring Security's firewall checks header values only when they are read, from inside the handler: a header
	 * with characters it refuses (an Idempotency-Key in another script) is the client's mistake too.
	 */
	@ExceptionHandler(RequestRejectedException.class)
	ResponseEntity<Object> rejectedByFirewall(RequestRejectedException ex, WebRequest request) {
		ProblemDetail problem = Problems.of(ProblemType.MALFORMED_REQUEST,
				"Bad request: a header contains characters that are not allowed");
		return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<Object> unexpected(Exception ex, WebRequest request) {
		log.error("Unhandled error", ex);
		ProblemDetail problem = Problems.of(ProblemType.INTERNAL_ERROR, "Internal error");
		return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
	}

	/**
	 * Every answer leaves through here, Spring's own included: the body is remade by {@link Problems} with the
	 * catalogued type of the failure, the message a client may see, and whatever else the raiser added
	 * ({@code backend}).
	 */
	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		ProblemDetail raised = null;
		if (body instanceof ProblemDetail detail) {
			raised = detail;
		}
		else if (body == null && ex instanceof ErrorResponse errorResponse) {
			// Our own ErrorResponseExceptions (DN not found, invalid DN) and Spring's carry their detail here.
			raised = errorResponse.updateAndGetBody(getMessageSource(), LocaleContextHolder.getLocale());
		}
		String message = ErrorMessages.forClient((raised != null) ? raised.getDetail() : null, statusCode);
		ProblemType type = ProblemClassifier.typeOf(ex, raised, statusCode);
		ProblemDetail problem = (type != null) ? Problems.of(type, message) : Problems.forStatus(statusCode, message);
		if (raised != null && raised.getProperties() != null) {
			raised.getProperties().forEach((name, value) -> {
				if (!"error".equals(name)) {
					problem.setProperty(name, value);
				}
			});
		}
		return super.handleExceptionInternal(ex, problem, headers, statusCode, request);
	}

}
