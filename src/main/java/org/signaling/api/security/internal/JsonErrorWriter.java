package org.signaling.api.security.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the API's error shape from a filter, where no controller advice runs: an RFC 9457 problem that also carries
 * the seed's {@code error} member, e.g. {@code {"error": "Rate limit exceeded", ...}}.
 */
public final class JsonErrorWriter {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private JsonErrorWriter() {
	}

	public static void write(HttpServletResponse response, HttpStatus status, String message) throws IOException {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", "urn:signaling-api:problem:" + status.name().toLowerCase(Locale.ROOT).replace('_', '-'));
		body.put("title", status.getReasonPhrase());
		body.put("status", status.value());
		body.put("detail", message);
		body.put("error", message);
		response.setStatus(status.value());
		response.setContentType("application/problem+json");
		response.setCharacterEncoding("UTF-8");
		response.getWriter().write(JSON.writeValueAsString(body));
	}

}
