package org.signaling.api.webhooks.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.testsupport.TestTls;
import org.signaling.api.webhooks.WebhookProperties;
import org.signaling.api.webhooks.WebhookReceiver;
import org.signaling.api.webhooks.WebhookReceiver.Reply;
import org.signaling.api.webhooks.internal.WebhookSender.Outcome;
import org.signaling.api.webhooks.internal.WebhookSender.Result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What one attempt promises, against real servers on loopback: it connects only to an address that passed the
 * network check, follows no redirect, verifies TLS, and ends at one hard deadline with the exchange really dropped.
 */
class WebhookSenderTests {

	static final Map<String, String> HEADERS = Map.of("Content-Type", "application/json", "User-Agent", "test");

	static final byte[] BODY = "{\"id\":\"evt-1\"}".getBytes(StandardCharsets.UTF_8);

	private final List<AutoCloseable> closeAtEnd = new ArrayList<>();

	@AfterEach
	void closeAll() throws Exception {
		for (int i = closeAtEnd.size() - 1; i >= 0; i--) {
			closeAtEnd.get(i).close();
		}
	}

	@Test
	void connectsOnlyToThePermittedAddressesOfAHost() throws Exception {
		WebhookReceiver permitted = open(WebhookReceiver.start("127.0.0.1", 0));
		WebhookReceiver refused = open(WebhookReceiver.start("127.0.0.3", permitted.port()));
		// The refused address comes first: a client that ignored the check would deliver there.
		WebhookSender sender = sender(List.of("127.0.0.1/32"),
				lookup("two.example.test", "127.0.0.3", "127.0.0.1"));

		Result result = sender.post(URI.create("http://two.example.test:" + permitted.port() + "/hook"), HEADERS, BODY);

		assertThat(result.outcome()).isEqualTo(Outcome.SUCCESS);
		assertThat(permitted.received()).singleElement()
			.extracting((request) -> request.header("Host"))
			.isEqualTo("two.example.test:" + permitted.port());
		assertThat(refused.received()).isEmpty();
	}

	@Test
	void aHostWithOnlyRefusedAddressesIsBlockedWithoutAConnection() throws Exception {
		WebhookReceiver receiver = open(WebhookReceiver.start());
		WebhookSender sender = sender(List.of(), HostLookup.SYSTEM);

		Result result = sender.post(URI.create(receiver.url()), HEADERS, BODY);

		assertThat(result).isEqualTo(new Result(Outcome.BLOCKED, null,
				"Blocked: the host resolves to a non-public address"));
		assertThat(receiver.received()).isEmpty();
	}

	@Test
	void anUnknownHostFailsAsNotFound() throws Exception {
		WebhookSender sender = sender(List.of(), lookup("known.example.test", "127.0.0.1"));

		Result result = sender.post(URI.create("http://unknown.example.test/hook"), HEADERS, BODY);

		assertThat(result).isEqualTo(new Result(Outcome.NETWORK_ERROR, null, "Host not found"));
	}

	@Test
	void aRedirectIsAFailureAndIsNotFollowed() throws Exception {
		WebhookReceiver elsewhere = open(WebhookReceiver.start());
		HttpServer redirecting = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
		redirecting.createContext("/", (exchange) -> {
			exchange.getResponseHeaders().add("Location", elsewhere.url());
			exchange.sendResponseHeaders(307, -1);
			exchange.close();
		});
		redirecting.start();
		closeAtEnd.add(() -> redirecting.stop(0));
		WebhookSender sender = sender(List.of("127.0.0.0/8"), HostLookup.SYSTEM);

		Result result = sender.post(
				URI.create("http://127.0.0.1:" + redirecting.getAddress().getPort() + "/hook"), HEADERS, BODY);

		assertThat(result).isEqualTo(new Result(Outcome.HTTP_ERROR, 307, "HTTP 307"));
		assertThat(elsewhere.received()).isEmpty();
	}

	@Test
	void anUntrustedCertificateIsRefused() throws Exception {
		AtomicBoolean reached = new AtomicBoolean();
		HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
		server.setHttpsConfigurator(new HttpsConfigurator(serverContext(TestTls.create())));
		server.createContext("/", (exchange) -> {
			reached.set(true);
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		server.start();
		closeAtEnd.add(() -> server.stop(0));
		WebhookSender sender = sender(List.of("127.0.0.0/8"), HostLookup.SYSTEM);

		Result result = sender.post(URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/hook"),
				HEADERS, BODY);

		assertThat(result.outcome()).isEqualTo(Outcome.NETWORK_ERROR);
		assertThat(result.statusCode()).isNull();
		assertThat(reached).isFalse();
	}

	@Test
	void aSubscriberThatTricklesItsAnswerIsCutOffAtTheDeadline() throws Exception {
		// A byte every 100 ms: never idle for the 1 s response timeout, so only the hard deadline (2 s) ends it.
		ServerSocket trickling = open(new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1")));
		Thread server = new Thread(() -> trickle(trickling), "trickling-subscriber");
		server.setDaemon(true);
		server.start();
		WebhookSender sender = sender(List.of("127.0.0.0/8"), HostLookup.SYSTEM);

		Result result = sender.post(URI.create("http://127.0.0.1:" + trickling.getLocalPort() + "/hook"), HEADERS,
				BODY);

		assertThat(result).isEqualTo(new Result(Outcome.TIMEOUT, null, "Timed out after 1000 ms"));
	}

	@Test
	void aSubscriberThatTricklesItsAnswerHasItsConnectionDroppedAtTheDeadline() throws Exception {
		ServerSocket trickling = open(new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1")));
		// its own thread: the common pool has one worker on 2 cores, and a task of another test can hold it
		CompletableFuture<Boolean> dropped = new CompletableFuture<>();
		Thread server = new Thread(() -> dropped.complete(trickle(trickling)), "trickling-subscriber");
		server.setDaemon(true);
		server.start();
		WebhookSender sender = sender(List.of("127.0.0.0/8"), HostLookup.SYSTEM);

		sender.post(URI.create("http://127.0.0.1:" + trickling.getLocalPort() + "/hook"), HEADERS, BODY);

		// Bounded by the trickle itself (600 bytes, 100 ms apart): it answers false if the connection outlives it.
		assertThat(dropped.get(90, TimeUnit.SECONDS)).as("the server saw the connection dropped").isTrue();
	}

	@Test
	void aNameLookupThatHangsIsCutOffAtTheDeadline() throws Exception {
		CountDownLatch lookupReleased = new CountDownLatch(1);
		closeAtEnd.add(lookupReleased::countDown);
		WebhookSender sender = sender(List.of("127.0.0.0/8"), (host) -> {
			try {
				// Bounded: a forgotten release cannot stall the build.
				lookupReleased.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return new InetAddress[] { InetAddress.getByName("127.0.0.1") };
		});

		Result result = sender.post(URI.create("http://slow-dns.example.test:9/hook"), HEADERS, BODY);

		assertThat(result).isEqualTo(new Result(Outcome.TIMEOUT, null, "Timed out after 1000 ms"));
	}

	@Test
	void anInterruptedAttemptEndsAtOnceAndIsNotAResult() throws Exception {
		WebhookReceiver receiver = open(WebhookReceiver.start().answer(Reply.HANG));
		WebhookSender sender = sender(List.of("127.0.0.0/8"), HostLookup.SYSTEM);
		ExecutorService thread = Executors.newSingleThreadExecutor();
		closeAtEnd.add(thread::shutdownNow);

		Future<Result> attempt = thread.submit(() -> sender.post(URI.create(receiver.url()), HEADERS, BODY));
		await().until(() -> receiver.blocked() == 1);
		thread.shutdownNow();

		assertThatThrownBy(() -> attempt.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
			.hasCauseInstanceOf(InterruptedException.class);
	}

	/** Connect and response timeouts of 1 s each: a hard deadline of 2 s. */
	private WebhookSender sender(List<String> allowedNetworks, HostLookup lookup) {
		WebhookProperties properties = new WebhookProperties(true, allowedNetworks, Duration.ofSeconds(1),
				Duration.ofSeconds(1), Duration.ofHours(24), Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5),
				Duration.ofHours(24), Duration.ofDays(7), Duration.ofMillis(50), 8, 4, 100, List.of());
		return open(new WebhookSender(properties, new TargetResolver(lookup, new TargetNetworks(allowedNetworks))));
	}

	private <T extends AutoCloseable> T open(T closeable) {
		closeAtEnd.add(closeable);
		return closeable;
	}

	/** One name with fixed addresses; anything else is unknown. No DNS. */
	private static HostLookup lookup(String name, String... addresses) {
		return (host) -> {
			if (!host.equals(name)) {
				throw new UnknownHostException("Not scripted");
			}
			InetAddress[] resolved = new InetAddress[addresses.length];
			for (int i = 0; i < addresses.length; i++) {
				resolved[i] = InetAddress.getByName(addresses[i]);
			}
			return resolved;
		};
	}

	/** Answers one connection a byte at a time (at most 60 s); true once the client dropped it. */
	private static boolean trickle(ServerSocket server) {
		try (Socket socket = server.accept()) {
			socket.setSoTimeout(30_000);
			InputStream in = socket.getInputStream();
			in.read(new byte[8192]);
			OutputStream out = socket.getOutputStream();
			out.write("HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
			for (int i = 0; i < 600; i++) {
				out.write('a');
				out.flush();
				// A closed connection answers a read with -1 (or a reset); an open one has nothing to read. Read whole
				// buffers: the request's body may come after its head, and read byte by byte, 100 ms apart, it took
				// longer than the test waits before the -1 could be seen.
				socket.setSoTimeout(100);
				try {
					if (in.read(new byte[8192]) == -1) {
						return true;
					}
				}
				catch (SocketTimeoutException ex) {
					// still open
				}
			}
			return false;
		}
		catch (IOException ex) {
			return true; // reset by the client
		}
	}

	private static SSLContext serverContext(TestTls tls) throws Exception {
		KeyStore keystore = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(Path.of(tls.keystoreLocation().substring("file:".length())))) {
			keystore.load(in, TestTls.PASSWORD.toCharArray());
		}
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(keystore, TestTls.PASSWORD.toCharArray());
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keys.getKeyManagers(), null, null);
		return context;
	}

}
