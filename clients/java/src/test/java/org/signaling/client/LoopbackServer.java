package org.signaling.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP/1.1 server on 127.0.0.1 for the client's tests, on a plain socket so a test can also drop a connection
 * after reading the request (the answer lost) or stream an event-stream answer. One request per connection.
 */
final class LoopbackServer implements AutoCloseable {

	record Request(String method, String target, Map<String, String> headers, String body) {

		String header(String name) {
			return headers.get(name.toLowerCase(Locale.ROOT));
		}

	}

	@FunctionalInterface
	interface Handler {

		/** Writes the answer to {@code out}, or nothing (the connection is then closed without an answer). */
		void handle(Request request, int number, OutputStream out) throws Exception;

	}

	final List<Request> requests = new CopyOnWriteArrayList<>();

	private final ServerSocket socket;

	private final Thread thread;

	LoopbackServer(Handler handler) throws IOException {
		socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		thread = new Thread(() -> {
			while (!socket.isClosed()) {
				try {
					Socket connection = socket.accept();
					Thread worker = new Thread(() -> serve(connection, handler));
					worker.setDaemon(true);
					worker.start();
				}
				catch (IOException ex) {
					return;
				}
			}
		}, "loopback-server");
		thread.setDaemon(true);
		thread.start();
	}

	URI uri() {
		return URI.create("http://127.0.0.1:" + socket.getLocalPort());
	}

	private void serve(Socket connection, Handler handler) {
		try (connection) {
			InputStream in = connection.getInputStream();
			String head = readHead(in);
			String[] lines = head.split("\r\n");
			String[] start = lines[0].split(" ");
			Map<String, String> headers = new TreeMap<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
			}
			int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
			String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
			Request request = new Request(start[0], start[1], headers, body);
			requests.add(request);
			handler.handle(request, requests.size(), connection.getOutputStream());
		}
		catch (Exception ex) {
			// the test sees it in its assertions
		}
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		while (matched < 4) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("connection closed in the request head");
			}
			head.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

	/** A complete answer with Connection: close. */
	static void respond(OutputStream out, int status, String body, String... headers) throws IOException {
		respond(out, status, body.getBytes(StandardCharsets.UTF_8), headers);
	}

	/** A complete answer with Connection: close, its body as given (e.g. gzipped, with a Content-Encoding header). */
	static void respond(OutputStream out, int status, byte[] bytes, String... headers) throws IOException {
		StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " X\r\nConnection: close\r\n");
		head.append("Content-Type: application/json\r\nContent-Length: ").append(bytes.length).append("\r\n");
		for (int i = 0; i + 1 < headers.length; i += 2) {
			head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
		}
		out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
		out.write(bytes);
		out.flush();
	}

	/** The head of an event stream; then write the stream's text and return to close it. */
	static void streamHead(OutputStream out) throws IOException {
		out.write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/event-stream\r\n\r\n"
			.getBytes(StandardCharsets.US_ASCII));
		out.flush();
	}

	static void write(OutputStream out, String text) throws IOException {
		out.write(text.getBytes(StandardCharsets.UTF_8));
		out.flush();
	}

	@Override
	public void close() throws IOException {
		socket.close();
	}

}
