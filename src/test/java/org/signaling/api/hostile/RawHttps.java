package org.signaling.api.hostile;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 over TLS, byte for byte, on one kept-alive connection at a time. java.net.http refuses
 * what a hostile client sends (control characters in a header, an unencoded byte in the request target, a header
 * name it restricts), and would normalize some of the rest; the service must cope with the bytes as they come.
 * Only loopback: the target is 127.0.0.1.
 */
final class RawHttps implements AutoCloseable {

	static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

	/** Longest wait for one read; a request gets at most a few of these. */
	static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

	private static final int MAX_HEAD_BYTES = 64 * 1024;

	private static final String NOTHING_READ = "closed before any byte of an answer";

	private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

	private final SSLContext tls;

	private final int port;

	private SSLSocket connection;

	private InputStream input;

	RawHttps(SSLContext tls, int port) {
		this.tls = tls;
		this.port = port;
	}

	/** One header as raw bytes (ISO-8859-1 of the given strings keeps every byte 0-255 as it is). */
	record Header(byte[] name, byte[] value) {

		static Header of(String name, String value) {
			return new Header(name.getBytes(StandardCharsets.ISO_8859_1), value.getBytes(StandardCharsets.UTF_8));
		}

		static Header latin1(String name, String value) {
			return new Header(name.getBytes(StandardCharsets.ISO_8859_1), value.getBytes(StandardCharsets.ISO_8859_1));
		}

	}

	/**
	 * @param target the request target exactly as sent ({@code /api/dn/5001}), no encoding added
	 * @param body null for none; sent with Content-Length, or chunked when {@code chunked}
	 */
	record Request(String method, byte[] target, List<Header> headers, byte[] body, boolean chunked) {
	}

	/**
	 * @param status -1 when no answer came ({@code failure} says why)
	 * @param headers lower-case names, the first value of each
	 */
	record Answer(int status, Map<String, String> headers, byte[] body, String failure) {

		String bodyText() {
			return new String(body, StandardCharsets.UTF_8);
		}

		String header(String name) {
			return headers.get(name.toLowerCase(Locale.ROOT));
		}

		/** Whether the connection ended before a single byte of an answer. */
		boolean nothingRead() {
			return status < 0 && failure != null && failure.contains(NOTHING_READ);
		}

		boolean isEventStream() {
			String type = header("content-type");
			return type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
		}

		@Override
		public String toString() {
			return (status < 0) ? "no answer (" + failure + ")" : status + " " + Violations.shown(bodyText());
		}

	}

	/**
	 * Sends the request and reads the answer, on the connection of the previous request while the server keeps it
	 * open. A 200 event stream is closed as soon as its head arrived (its body never ends). Never throws: a
	 * connection the server closed without an answer is an {@link Answer} with status -1.
	 */
	Answer send(Request request) {
		boolean reused = connection != null;
		Answer answer = exchange(request);
		// A kept-alive connection the server has just closed (idle, or at its request limit): a GET may be repeated.
		if (answer.status() < 0 && reused && answer.nothingRead()
				&& ("GET".equals(request.method()) || "HEAD".equals(request.method()))) {
			answer = exchange(request);
		}
		return answer;
	}

	@Override
	public void close() {
		disconnect();
	}

	private Answer exchange(Request request) {
		try {
			if (connection == null) {
				connection = connect();
			}
			IOException writeFailure = null;
			try {
				OutputStream out = connection.getOutputStream();
				out.write(encode(request));
				out.flush();
			}
			catch (IOException ex) {
				// The server may answer (413, 400) and close before it read everything: read what it said.
				writeFailure = ex;
			}
			try {
				Reading reading = read(input, request.method());
				if (!reading.reusable() || writeFailure != null) {
					disconnect();
				}
				return reading.answer();
			}
			catch (IOException ex) {
				disconnect();
				String why = (writeFailure != null) ? "write: " + writeFailure + ", read: " + ex : ex.toString();
				return new Answer(-1, Map.of(), new byte[0], why);
			}
		}
		catch (IOException ex) {
			disconnect();
			return new Answer(-1, Map.of(), new byte[0], "connect: " + ex);
		}
	}

	private SSLSocket connect() throws IOException {
		Socket plain = new Socket();
		try {
			plain.connect(new InetSocketAddress("127.0.0.1", port), (int) CONNECT_TIMEOUT.toMillis());
			SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, "localhost", port, true);
			socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
			socket.startHandshake();
			input = new BufferedInputStream(socket.getInputStream());
			return socket;
		}
		catch (IOException ex) {
			plain.close();
			throw ex;
		}
	}

	private void disconnect() {
		if (connection != null) {
			try {
				connection.close();
			}
			catch (IOException ex) {
				// closing a connection that already failed: nothing more to learn from it
			}
		}
		connection = null;
		input = null;
	}

	private byte[] encode(Request request) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write((request.method() + " ").getBytes(StandardCharsets.ISO_8859_1));
		out.write(request.target());
		out.write(" HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
		line(out, "Host", "localhost:" + port);
		for (Header header : request.headers()) {
			out.write(header.name());
			out.write(": ".getBytes(StandardCharsets.ISO_8859_1));
			out.write(header.value());
			out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
		}
		byte[] body = request.body();
		if (body != null && request.chunked()) {
			line(out, "Transfer-Encoding", "chunked");
		}
		else if (body != null) {
			line(out, "Content-Length", Integer.toString(body.length));
		}
		out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
		if (body != null && request.chunked()) {
			int chunk = 8192;
			for (int offset = 0; offset < body.length; offset += chunk) {
				int length = Math.min(chunk, body.length - offset);
				out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
				out.write(body, offset, length);
				out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
			}
			out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
		}
		else if (body != null) {
			out.write(body);
		}
		return out.toByteArray();
	}

	private static void line(ByteArrayOutputStream out, String name, String value) throws IOException {
		out.write((name + ": " + value + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
	}

	/** An answer, and whether its connection can carry the next request. */
	private record Reading(Answer answer, boolean reusable) {
	}

	private static Reading read(InputStream in, String method) throws IOException {
		String head = readHead(in);
		String[] lines = head.split("\r\n");
		String[] statusLine = lines[0].split(" ", 3);
		if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
			throw new IOException("not an HTTP status line: " + Violations.shown(lines[0]));
		}
		int status = Integer.parseInt(statusLine[1]);
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon > 0) {
				headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
						lines[i].substring(colon + 1).trim());
			}
		}
		boolean keepAlive = !"close".equalsIgnoreCase(headers.get("connection"));
		Answer headOnly = new Answer(status, headers, new byte[0], null);
		if (status == 200 && headOnly.isEventStream()) {
			// The stream never ends: this connection is done.
			return new Reading(headOnly, false);
		}
		if ("HEAD".equals(method) || status == 204 || status == 304) {
			return new Reading(headOnly, keepAlive);
		}
		String length = headers.get("content-length");
		if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
			return new Reading(new Answer(status, headers, readChunked(in), null), keepAlive);
		}
		if (length != null) {
			return new Reading(new Answer(status, headers, readExactly(in, Integer.parseInt(length)), null), keepAlive);
		}
		return new Reading(new Answer(status, headers, readToEnd(in), null), false);
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		byte[] end = { '\r', '\n', '\r', '\n' };
		while (matched < end.length) {
			int b = in.read();
			if (b < 0) {
				throw new IOException(head.size() == 0 ? NOTHING_READ
						: "connection closed after " + head.size() + " bytes of the answer's head");
			}
			head.write(b);
			matched = (b == end[matched]) ? matched + 1 : (b == '\r' ? 1 : 0);
			if (head.size() > MAX_HEAD_BYTES) {
				throw new IOException("answer head longer than " + MAX_HEAD_BYTES + " bytes");
			}
		}
		return head.toString(StandardCharsets.ISO_8859_1).trim();
	}

	private static byte[] readChunked(InputStream in) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		while (body.size() <= MAX_BODY_BYTES) {
			String sizeLine = readLine(in);
			int semicolon = sizeLine.indexOf(';');
			int size = Integer.parseInt((semicolon >= 0) ? sizeLine.substring(0, semicolon) : sizeLine.trim(), 16);
			if (size == 0) {
				readLine(in);
				return body.toByteArray();
			}
			body.write(readExactly(in, size));
			readLine(in);
		}
		throw new IOException("chunked answer longer than " + MAX_BODY_BYTES + " bytes");
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		for (int b = in.read(); b != '\n'; b = in.read()) {
			if (b < 0 || line.size() > 1024) {
				throw new IOException("bad chunk framing");
			}
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.ISO_8859_1);
	}

	private static byte[] readExactly(InputStream in, int length) throws IOException {
		if (length > MAX_BODY_BYTES) {
			throw new IOException("answer body of " + length + " bytes");
		}
		byte[] bytes = in.readNBytes(length);
		if (bytes.length < length) {
			throw new IOException("answer body cut at " + bytes.length + " of " + length + " bytes");
		}
		return bytes;
	}

	private static byte[] readToEnd(InputStream in) throws IOException {
		byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
		if (bytes.length > MAX_BODY_BYTES) {
			throw new IOException("answer body longer than " + MAX_BODY_BYTES + " bytes");
		}
		return bytes;
	}

}
