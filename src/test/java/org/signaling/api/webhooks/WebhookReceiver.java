package org.signaling.api.webhooks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;

/**
 * A webhook subscriber for tests: a real HTTP server on 127.0.0.1 (or another loopback address; ephemeral port)
 * that answers each request as scripted: 200, 500, never (until released or closed: the sender times out), or after
 * the test releases it (a slow subscriber). It records every request, and the accepted ones (answered 200) in the
 * order they were accepted.
 */
public final class WebhookReceiver implements AutoCloseable {

	/** How to answer one request. */
	public enum Reply {

		/** 200 at once. */
		OK,
		/** 500 at once. */
		FAIL,
		/** Nothing until released (the sender gives up first), then 503. */
		HANG,
		/** 200 once released: slow, but within the sender's timeout. */
		HOLD

	}

	// Bounded: HANG and HOLD block their thread at most this long, so a forgotten release cannot stall the build.
	private static final long MAX_BLOCK_SECONDS = 60;

	private final HttpServer server;

	private final ExecutorService threads = Executors.newFixedThreadPool(16);

	private final Deque<Reply> script = new ConcurrentLinkedDeque<>();

	private volatile Function<Request, Reply> policy = (request) -> Reply.OK;

	private volatile CountDownLatch release = new CountDownLatch(1);

	private final List<Request> received = new CopyOnWriteArrayList<>();

	private final List<Request> accepted = new ArrayList<>();

	private final AtomicInteger blocked = new AtomicInteger();

	private WebhookReceiver(HttpServer server) {
		this.server = server;
	}

	public static WebhookReceiver start() {
		return start("127.0.0.1", 0);
	}

	/** On another loopback address (127.0.0.2...), or a given port (0: ephemeral). */
	public static WebhookReceiver start(String loopbackAddress, int port) {
		try {
			if (!InetAddress.getByName(loopbackAddress).isLoopbackAddress()) {
				throw new IllegalArgumentException("Test subscribers listen on loopback only");
			}
			HttpServer server = HttpServer.create(new InetSocketAddress(loopbackAddress, port), 50);
			WebhookReceiver receiver = new WebhookReceiver(server);
			server.createContext("/", receiver::handle);
			server.setExecutor(receiver.threads);
			server.start();
			return receiver;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public String url() {
		return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port()
				+ "/hooks/signaling?tenant=test";
	}

	public int port() {
		return server.getAddress().getPort();
	}

	/** The next requests are answered like this, in order; then by the policy. */
	public WebhookReceiver script(Reply... replies) {
		script.addAll(List.of(replies));
		return this;
	}

	/** How requests beyond the script are answered (default: OK). */
	public WebhookReceiver answer(Reply reply) {
		return answer((request) -> reply);
	}

	public WebhookReceiver answer(Function<Request, Reply> policy) {
		this.policy = policy;
		return this;
	}

	/** Lets every held and hanging request finish; later ones block again until the next release. */
	public void release() {
		CountDownLatch current = release;
		release = new CountDownLatch(1);
		current.countDown();
	}

	public List<Request> received() {
		return List.copyOf(received);
	}

	public List<Request> receivedFor(String eventId) {
		return received.stream().filter((request) -> eventId.equals(request.header("X-Signaling-Event-Id"))).toList();
	}

	/** Requests answered 200, in the order they were accepted. */
	public List<Request> accepted() {
		synchronized (accepted) {
			return List.copyOf(accepted);
		}
	}

	/** Requests waiting in HANG or HOLD right now. */
	public int blocked() {
		return blocked.get();
	}

	@Override
	public void close() {
		release.countDown();
		server.stop(0);
		threads.shutdownNow();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange; InputStream body = exchange.getRequestBody()) {
			Map<String, String> headers = new TreeMap<>();
			exchange.getRequestHeaders()
				.forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
			Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers,
					new String(body.readAllBytes(), StandardCharsets.UTF_8));
			received.add(request);
			Reply scripted = script.poll();
			Reply reply = (scripted != null) ? scripted : policy.apply(request);
			switch (reply) {
				case OK -> accept(exchange, request);
				case FAIL -> respond(exchange, 500);
				case HANG -> {
					awaitRelease();
					respond(exchange, 503);
				}
				case HOLD -> {
					awaitRelease();
					accept(exchange, request);
				}
			}
		}
	}

	private void accept(HttpExchange exchange, Request request) throws IOException {
		synchronized (accepted) {
			accepted.add(request);
		}
		respond(exchange, 200);
	}

	private void awaitRelease() {
		blocked.incrementAndGet();
		try {
			release.await(MAX_BLOCK_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			blocked.decrementAndGet();
		}
	}

	private static void respond(HttpExchange exchange, int status) throws IOException {
		exchange.sendResponseHeaders(status, -1);
	}

	/** One request as received; header names in lower case. */
	public record Request(String method, String uri, Map<String, String> headers, String body) {

		public @Nullable String header(String name) {
			return headers.get(name.toLowerCase(Locale.ROOT));
		}

		public String eventId() {
			return String.valueOf(header("X-Signaling-Event-Id"));
		}

	}

}
