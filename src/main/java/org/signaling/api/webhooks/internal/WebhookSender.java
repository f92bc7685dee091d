package org.signaling.api.webhooks.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.signaling.api.webhooks.WebhookProperties;

/**
 * One HTTP POST to a subscriber. The JDK client rather than a RestClient: an attempt needs one hard deadline over
 * connect, headers and body, and a cancellation that really drops the exchange when it passes. Redirects are not
 * followed (a 3xx is a failure): the subscriber's URL is the one an administrator approved.
 */
public class WebhookSender {

	private final HttpClient client;

	private final Duration connectTimeout;

	private final Duration responseTimeout;

	public WebhookSender(WebhookProperties properties) {
		this.connectTimeout = properties.connectTimeout();
		this.responseTimeout = properties.responseTimeout();
		this.client = HttpClient.newBuilder()
			.connectTimeout(connectTimeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			// HTTP/1.1: no h2c upgrade dance with plain-http subscribers; HTTPS still negotiates normally.
			.version(HttpClient.Version.HTTP_1_1)
			.build();
	}

	/**
	 * Posts the body; never throws for anything the subscriber or the network does.
	 * @throws InterruptedException when the service is stopping: the attempt is then not recorded and is made again
	 */
	public Result post(URI url, Map<String, String> headers, byte[] body) throws InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(url)
			.timeout(responseTimeout)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		headers.forEach(request::header);
		CompletableFuture<HttpResponse<Void>> exchange = client.sendAsync(request.build(),
				HttpResponse.BodyHandlers.discarding());
		try {
			HttpResponse<Void> response = exchange.get(connectTimeout.plus(responseTimeout).toMillis(),
					TimeUnit.MILLISECONDS);
			int status = response.statusCode();
			return (status >= 200 && status < 300) ? new Result(Outcome.SUCCESS, status, null)
					: new Result(Outcome.HTTP_ERROR, status, "HTTP " + status);
		}
		catch (TimeoutException ex) {
			exchange.cancel(true);
			return new Result(Outcome.TIMEOUT, null, "Timed out after " + responseTimeout.toMillis() + " ms");
		}
		catch (InterruptedException ex) {
			exchange.cancel(true);
			throw ex;
		}
		catch (ExecutionException ex) {
			Throwable failure = ex.getCause();
			Outcome outcome = (failure instanceof HttpTimeoutException) ? Outcome.TIMEOUT : Outcome.NETWORK_ERROR;
			return new Result(outcome, null, describe(failure));
		}
	}

	private String describe(@Nullable Throwable failure) {
		if (failure instanceof HttpConnectTimeoutException) {
			return "Connect timed out after " + connectTimeout.toMillis() + " ms";
		}
		if (failure instanceof HttpTimeoutException) {
			return "Timed out after " + responseTimeout.toMillis() + " ms";
		}
		if (failure instanceof ConnectException) {
			return "Connection refused or unreachable";
		}
		if (failure instanceof IOException io) {
			String message = io.getMessage();
			return "I/O error: " + ((message != null) ? message.replaceAll("\\p{Cntrl}", " ")
					: io.getClass().getSimpleName());
		}
		return "Failed: " + ((failure != null) ? failure.getClass().getSimpleName() : "unknown");
	}

	/** How an attempt went, as counted in {@code signaling_webhook_attempts_total{outcome}}. */
	public enum Outcome {

		SUCCESS, HTTP_ERROR, TIMEOUT, NETWORK_ERROR;

		public String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/**
	 * @param outcome how it went
	 * @param statusCode the subscriber's status, if it answered
	 * @param error why it is not delivered; null for a 2xx
	 */
	public record Result(Outcome outcome, @Nullable Integer statusCode, @Nullable String error) {

		public boolean isDelivered() {
			return outcome == Outcome.SUCCESS;
		}

	}

}
