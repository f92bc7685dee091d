package org.signaling.api.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Minimal JSON-RPC 2.0 client for Kamailio's jsonrpcs over HTTP, for the test harness itself
 * (waiting for states, ending dialogs). Not the product's client.
 *
 * <p>Kamailio facts it relies on (see the fixture README): errors come back as HTTP 500/404 with
 * the JSON-RPC error in the body, so the body is returned for any status; {@code params} types
 * matter ({@code dlg.end_dlg} ids must be JSON numbers: pass {@code int}/{@code long}, not
 * strings); a body without {@code "jsonrpc":"2.0"} is silently not executed, so it is always set.
 */
public final class KamailioRpc {

	public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
	public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final URI uri;
	private final HttpClient http;
	private final AtomicLong ids = new AtomicLong();

	public KamailioRpc(String url) {
		this.uri = URI.create(url);
		// HTTP/1.1 explicitly: the JDK default would try an h2c upgrade, which Kamailio does not do
		this.http = HttpClient.newBuilder()
				.version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(CONNECT_TIMEOUT)
				.build();
	}

	public URI uri() {
		return uri;
	}

	/**
	 * Calls {@code method} with positional {@code params} and returns the raw response body, for
	 * every HTTP status. Numbers stay JSON numbers, strings JSON strings.
	 *
	 * @throws KamailioRpcException when Kamailio cannot be reached or does not answer in time
	 */
	public String call(String method, Object... params) {
		ObjectNode request = JSON.createObjectNode();
		request.put("jsonrpc", "2.0");
		request.put("method", method);
		if (params.length > 0) {
			request.set("params", JSON.valueToTree(Arrays.asList(params)));
		}
		request.put("id", ids.incrementAndGet());
		HttpRequest httpRequest = HttpRequest.newBuilder(uri)
				.timeout(REQUEST_TIMEOUT)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)))
				.build();
		try {
			return http.send(httpRequest, HttpResponse.BodyHandlers.ofString()).body();
		} catch (IOException e) {
			throw new KamailioRpcException(method + " to " + uri + " failed: " + e, -1, e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new KamailioRpcException(method + " to " + uri + " interrupted", -1, e);
		}
	}

	/**
	 * Calls {@code method} and returns its {@code result} member.
	 *
	 * @throws KamailioRpcException for a JSON-RPC error (code and message from Kamailio) or no answer
	 */
	public JsonNode result(String method, Object... params) {
		String body = call(method, params);
		JsonNode response;
		try {
			response = JSON.readTree(body);
		} catch (RuntimeException e) {
			throw new KamailioRpcException(method + ": response is not JSON: " + body, -1, e);
		}
		JsonNode error = response.get("error");
		if (error != null && !error.isNull()) {
			throw new KamailioRpcException(method + ": " + error.path("message").asString(""),
					error.path("code").asInt(-1), null);
		}
		JsonNode result = response.get("result");
		if (result == null) {
			throw new KamailioRpcException(method + ": no result in " + body, -1, null);
		}
		return result;
	}

	/** True when Kamailio answers {@code core.version}. Never throws. */
	public boolean ping() {
		try {
			return result("core.version").asString("").startsWith("kamailio");
		} catch (RuntimeException e) {
			return false;
		}
	}

	/** Parses JSON text (e.g. a body returned by {@link #call}). */
	public static JsonNode parse(String json) {
		return JSON.readTree(json);
	}

	/** A JSON-RPC error answer, or no answer at all ({@code code} -1). */
	public static final class KamailioRpcException extends RuntimeException {

		private final int code;

		public KamailioRpcException(String message, int code, Throwable cause) {
			super(message, cause);
			this.code = code;
		}

		/** Kamailio's error code (500, 404, 400, ...) or -1 when there was no JSON-RPC answer. */
		public int code() {
			return code;
		}
	}
}
