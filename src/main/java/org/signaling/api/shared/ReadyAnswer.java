package org.signaling.api.shared;

import java.io.IOException;
import java.time.Clock;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.context.request.ServletWebRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a {@link ReadyRead} endpoint answers, and the one place that writes it: {@link ReadyJson} bytes with their
 * strong ETag (a matching {@code If-None-Match} gets a 304 with no body), {@code Cache-Control: no-cache},
 * {@code Vary: Accept-Encoding} and the gzip form for a client that accepts it; or a small value serialized for this
 * request (a routing answer carries its own age in its body). An answer from the live view carries the view's age in
 * {@code X-State-Age-Ms}, 304s too.
 *
 * @param <T> the shape of the JSON, as the contract documents it
 */
public final class ReadyAnswer<T> {

	private final HttpStatus status;

	private final @Nullable ReadyJson<T> ready;

	private final @Nullable T value;

	/** The view the ready bytes come from, for their age; null when they are not a view of a backend. */
	private final @Nullable Observed<?> observed;

	/** The age a per-request value states in its own body. */
	private final @Nullable Long ageMs;

	private ReadyAnswer(HttpStatus status, @Nullable ReadyJson<T> ready, @Nullable T value,
			@Nullable Observed<?> observed, @Nullable Long ageMs) {
		this.status = status;
		this.ready = ready;
		this.value = value;
		this.observed = observed;
		this.ageMs = ageMs;
	}

	/** A 200 with ready bytes from the live view. */
	public static <T> ReadyAnswer<T> ok(Observed<ReadyJson<T>> answer) {
		return of(answer, HttpStatus.OK);
	}

	/** Ready bytes from the live view, with another status (Genesys status: 503 with the same fields). */
	public static <T> ReadyAnswer<T> of(Observed<ReadyJson<T>> answer, HttpStatus status) {
		return new ReadyAnswer<>(status, answer.value(), null, answer, null);
	}

	/** A 200 with ready bytes that are not a view of a backend (health): no age. */
	public static <T> ReadyAnswer<T> ok(ReadyJson<T> ready) {
		return new ReadyAnswer<>(HttpStatus.OK, ready, null, null, null);
	}

	/** A 200 with a small value serialized for this request, whose data is {@code ageMs} old. */
	public static <T> ReadyAnswer<T> perRequest(T value, long ageMs) {
		return new ReadyAnswer<>(HttpStatus.OK, null, value, null, ageMs);
	}

	/**
	 * Writes the answer to a request's response. Spring's own precondition check decides the 304 (it is the one
	 * Spring MVC applies to a ResponseEntity's ETag: lists of tags, {@code *}, weak comparison; If-Match too).
	 */
	public void writeTo(HttpServletRequest request, HttpServletResponse response, JsonMapper json, Clock clock)
			throws IOException {
		response.setStatus(status.value());
		if (observed != null) {
			response.setHeader(Observed.AGE_HEADER, Long.toString(observed.age(clock).toMillis()));
		}
		else if (ageMs != null) {
			response.setHeader(Observed.AGE_HEADER, Long.toString(ageMs));
		}
		byte[] body;
		if (ready != null) {
			response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
			// added: CORS has already said the answer varies by Origin
			response.addHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
			response.setHeader(HttpHeaders.ETAG, ready.etag());
			if (status == HttpStatus.OK && new ServletWebRequest(request, response).checkNotModified(ready.etag())) {
				return;
			}
			byte[] gzip = ready.gzipFor(request.getHeader(HttpHeaders.ACCEPT_ENCODING));
			if (gzip != null) {
				response.setHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
			}
			body = (gzip != null) ? gzip : ready.jsonBytes();
		}
		else {
			body = json.writeValueAsBytes(value);
		}
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

}
