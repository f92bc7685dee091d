package org.signaling.api.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What a client of the API does: HTTPS GETs, JSON bodies. */
public final class ApiClient {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http;

	private final String baseUrl;

	private final String apiKey;

	/** A client with the test admin key. */
	public ApiClient(String baseUrl, SSLContext sslContext) {
		this(baseUrl, sslContext, TestCredentials.ADMIN_KEY);
	}

	/** A client with this API key, or none (null). */
	public ApiClient(String baseUrl, SSLContext sslContext, String apiKey) {
		this.baseUrl = baseUrl;
		this.apiKey = apiKey;
		this.http = HttpClient.newBuilder().sslContext(sslContext).connectTimeout(Duration.ofSeconds(5)).build();
	}

	public String baseUrl() {
		return baseUrl;
	}

	public Response get(String path) {
		return get(path, "application/json");
	}

	/** A GET with extra headers as name, value pairs. */
	public Response get(String path, String accept, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
			.timeout(Duration.ofSeconds(10))
			.header("Accept", accept)
			.GET();
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return send(authenticated(request));
	}

	/** POST of a JSON body, with extra headers as name, value pairs. */
	public Response post(String path, String json, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
			.timeout(Duration.ofSeconds(10))
			.header("Accept", "application/json")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return send(authenticated(request));
	}

	/** Any method (PATCH, DELETE, ...) with an optional JSON body. */
	public Response send(String method, String path, String json) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
			.timeout(Duration.ofSeconds(10))
			.header("Accept", "application/json");
		if (json != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(json));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return send(authenticated(request));
	}

	/** A backend's status in {@code /api/health} ("up", "down", ...): kamailio, asterisk, genesys. */
	public String componentStatus(String backend) {
		return get("/api/health").json().path("components").path(backend).path("status").asString();
	}

	/** The entry of {@code callId} in {@code /api/calls/dn/{dn}}; an AssertionError when it is not listed. */
	public JsonNode listedCall(String dn, String callId) {
		for (JsonNode call : get("/api/calls/dn/" + dn).json().path("active_calls")) {
			if (callId.equals(call.path("call_id").asString())) {
				return call;
			}
		}
		throw new AssertionError(callId + " not listed for " + dn);
	}

	/** Hangs up every call these DNs are in (tests leave no call behind for the next one). */
	public void hangUpEveryCallOf(String... dns) {
		for (String dn : dns) {
			for (JsonNode call : get("/api/calls/dn/" + dn).json().path("active_calls")) {
				post("/api/call/hangup", "{\"call_id\":\"" + call.path("call_id").asString() + "\"}");
			}
		}
	}

	/**
	 * The ids of the events {@code GET /api/events} sends after the event {@code lastEventId} (its Last-Event-ID
	 * resume), in the order sent, once it has sent {@code count}; fails if they do not come within {@code bound}.
	 */
	public List<String> eventIdsAfter(String lastEventId, int count, Duration bound) {
		HttpRequest request = authenticated(HttpRequest.newBuilder(URI.create(baseUrl + "/api/events"))
			.header("Accept", "text/event-stream")
			.header("Last-Event-ID", lastEventId)
			.GET());
		CompletableFuture<HttpResponse<Stream<String>>> response = http.sendAsync(request,
				HttpResponse.BodyHandlers.ofLines());
		CompletableFuture<List<String>> ids = response.thenApply((lines) -> {
			try (Stream<String> body = lines.body()) {
				return body.filter((line) -> line.startsWith("id:"))
					.map((line) -> line.substring(3).trim())
					.limit(count)
					.toList();
			}
		});
		try {
			return ids.get(bound.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new AssertionError("no " + count + " events after " + lastEventId + " within " + bound, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		finally {
			response.cancel(true);
			response.thenAccept((lines) -> lines.body().close());
		}
	}

	private HttpRequest authenticated(HttpRequest.Builder request) {
		if (apiKey != null) {
			request.header("X-API-Key", apiKey);
		}
		return request.build();
	}

	private Response send(HttpRequest request) {
		try {
			HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body(), response);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** One answer: status, raw body, parsed JSON, headers. */
	public record Response(int status, String body, HttpResponse<String> raw) {

		public JsonNode json() {
			return JSON.readTree(body);
		}

		public String header(String name) {
			return raw.headers().firstValue(name).orElse(null);
		}

		@Override
		public String toString() {
			return status + " " + body;
		}

	}

}
