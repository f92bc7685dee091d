package org.signaling.api.webhooks.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.async.AsyncExecRuntime;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.concurrent.DefaultThreadFactory;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.entity.DiscardingEntityConsumer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.nio.support.BasicResponseConsumer;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;
import org.signaling.api.webhooks.WebhookProperties;

/**
 * One HTTP POST to a subscriber.
 *
 * <p>
 * Apache HttpClient 5 (async) rather than the JDK client or a RestClient: its connection manager resolves hosts
 * through a {@link TargetResolver}, so only an address that passed the network check is ever connected to (the JDK
 * client has no resolver hook on Java 17). The async API gives an attempt one hard deadline over lookup, connect,
 * headers and body, and a cancellation that really drops the exchange when it passes. Redirects are not followed (a
 * 3xx is a failure): the subscriber's URL is the one an administrator approved. HTTP/1.1 only; TLS as the JDK's
 * defaults (trust store, host name verification). No retries inside an attempt, no cookies, no proxy.
 */
public class WebhookSender implements AutoCloseable {

	static final String BLOCKED = "Blocked: the host resolves to a non-public address";

	private static final String EXEC_RUNTIME = "signaling.webhook.exec-runtime";

	// The reactor threads only move bytes, for every subscriber at once.
	private static final int IO_THREADS = Math.min(2, Runtime.getRuntime().availableProcessors());

	// Connections are reused for a while; past this a subscriber's host is resolved (and checked) again.
	private static final TimeValue CONNECTION_TIME_TO_LIVE = TimeValue.ofMinutes(5);

	private final CloseableHttpAsyncClient client;

	/*
	 * The client resolves the host (through the TargetResolver) inside execute(), on the calling thread, and the system
	 * resolver cannot be cancelled: each exchange starts on a thread of its own, so that a slow name server holds that
	 * thread and not the attempt's deadline. Unbounded, like the JDK client's default executor: a lookup that outlives
	 * its deadline keeps its thread until the resolver gives up, and must not delay other subscribers' attempts.
	 */
	private final ExecutorService starters = Executors.newCachedThreadPool(new DefaultThreadFactory("webhook-lookup",
			true));

	private final Duration connectTimeout;

	private final Duration responseTimeout;

	public WebhookSender(WebhookProperties properties, TargetResolver resolver) {
		this.connectTimeout = properties.connectTimeout();
		this.responseTimeout = properties.responseTimeout();
		Timeout connect = Timeout.of(connectTimeout);
		Timeout response = Timeout.of(responseTimeout);
		this.client = HttpAsyncClients.custom()
			.setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
				.setDnsResolver(resolver)
				.setTlsStrategy(DefaultClientTlsStrategy.createSystemDefault())
				.setDefaultTlsConfig(TlsConfig.custom()
					.setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1)
					.setHandshakeTimeout(connect)
					.build())
				.setDefaultConnectionConfig(ConnectionConfig.custom()
					.setConnectTimeout(connect)
					.setSocketTimeout(response)
					.setTimeToLive(CONNECTION_TIME_TO_LIVE)
					.build())
				// As many connections as attempts can be in flight: a lease never waits.
				.setMaxConnTotal(properties.maxConcurrency())
				.setMaxConnPerRoute(properties.maxConcurrency())
				.build())
			.setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(IO_THREADS).build())
			.setDefaultRequestConfig(RequestConfig.custom()
				.setConnectionRequestTimeout(connect)
				.setResponseTimeout(response)
				.build())
			.setThreadFactory(new DefaultThreadFactory("webhook-http", true))
			// Keeps each exchange's runtime where an abandoned attempt finds it (see abandon).
			.addExecInterceptorFirst("signaling-attempt-runtime", (request, entity, scope, chain, callback) -> {
				scope.clientContext.setAttribute(EXEC_RUNTIME, scope.execRuntime);
				chain.proceed(request, entity, scope, callback);
			})
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.disableAuthCaching()
			.build();
		this.client.start();
	}

	/**
	 * Posts the body; never throws for anything the subscriber or the network does. The deadline (connect timeout
	 * plus response timeout) covers the name lookup too.
	 * @throws InterruptedException when the service is stopping: the attempt is then not recorded and is made again
	 */
	public Result post(URI url, Map<String, String> headers, byte[] body) throws InterruptedException {
		long deadline = System.nanoTime() + connectTimeout.plus(responseTimeout).toNanos();
		BasicHttpRequest request = new BasicHttpRequest(Method.POST, url);
		headers.forEach(request::addHeader);
		HttpClientContext context = HttpClientContext.create();
		// The Content-Type header is among the headers; the entity carries only the bytes.
		CompletableFuture<Future<Message<HttpResponse, Void>>> started = CompletableFuture
			.supplyAsync(() -> client.execute(new BasicRequestProducer(request, AsyncEntityProducers.create(body,
					null)),
					new BasicResponseConsumer<>(new DiscardingEntityConsumer<>()), context, null), starters);
		try {
			int status = started.get(remaining(deadline), TimeUnit.NANOSECONDS)
				.get(remaining(deadline), TimeUnit.NANOSECONDS)
				.getHead()
				.getCode();
			return (status >= 200 && status < 300) ? new Result(Outcome.SUCCESS, status, null)
					: new Result(Outcome.HTTP_ERROR, status, "HTTP " + status);
		}
		catch (TimeoutException ex) {
			abandon(started, context);
			return new Result(Outcome.TIMEOUT, null, "Timed out after " + responseTimeout.toMillis() + " ms");
		}
		catch (InterruptedException ex) {
			abandon(started, context);
			throw ex;
		}
		catch (CancellationException ex) {
			return new Result(Outcome.NETWORK_ERROR, null, "Cancelled");
		}
		catch (ExecutionException ex) {
			return failed(ex.getCause());
		}
	}

	/** Drops every connection at once; attempts still in flight fail. */
	@Override
	public void close() {
		starters.shutdownNow();
		client.close(CloseMode.IMMEDIATE);
	}

	/*
	 * Cancels the exchange now, or as soon as a lookup that outlived the deadline lets it start, and drops its
	 * connection at once. Cancelling alone sometimes (measured: 2 attempts in 30) let the connection close gracefully,
	 * which waits for the response under way: a subscriber that trickles its answer held the connection as long as it
	 * liked. Discarding the exchange's endpoint closes it immediately, whatever state the cancellation left.
	 */
	private static void abandon(CompletableFuture<Future<Message<HttpResponse, Void>>> started,
			HttpClientContext context) {
		started.thenAccept((exchange) -> {
			exchange.cancel(true);
			if (context.getAttribute(EXEC_RUNTIME) instanceof AsyncExecRuntime runtime) {
				runtime.discardEndpoint();
			}
		});
	}

	private static long remaining(long deadline) {
		return Math.max(0, deadline - System.nanoTime());
	}

	private Result failed(@Nullable Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof BlockedAddressException) {
				return new Result(Outcome.BLOCKED, null, BLOCKED);
			}
		}
		if (failure instanceof UnknownHostException) {
			return new Result(Outcome.NETWORK_ERROR, null, "Host not found");
		}
		if (failure instanceof ConnectTimeoutException) {
			return new Result(Outcome.TIMEOUT, null, "Connect timed out after " + connectTimeout.toMillis() + " ms");
		}
		if (failure instanceof SocketTimeoutException) {
			return new Result(Outcome.TIMEOUT, null, "Timed out after " + responseTimeout.toMillis() + " ms");
		}
		if (failure instanceof ConnectException) {
			return new Result(Outcome.NETWORK_ERROR, null, "Connection refused or unreachable");
		}
		if (failure instanceof IOException io) {
			String message = io.getMessage();
			return new Result(Outcome.NETWORK_ERROR, null, "I/O error: "
					+ ((message != null) ? message.replaceAll("\\p{Cntrl}", " ") : io.getClass().getSimpleName()));
		}
		return new Result(Outcome.NETWORK_ERROR, null,
				"Failed: " + ((failure != null) ? failure.getClass().getSimpleName() : "unknown"));
	}

	/** How an attempt went, as counted in {@code signaling_webhook_attempts_total{outcome}}. */
	public enum Outcome {

		/** A 2xx. */
		SUCCESS,
		/** Any other status. */
		HTTP_ERROR,
		/** No answer within the timeouts. */
		TIMEOUT,
		/** Not found, refused, reset, TLS... */
		NETWORK_ERROR,
		/** Not attempted: the host resolves only to addresses a webhook may not connect to. */
		BLOCKED;

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
