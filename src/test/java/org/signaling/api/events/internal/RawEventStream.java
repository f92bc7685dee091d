package org.signaling.api.events.internal;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/events} over a plain loopback socket that reads the response head and then nothing more unless
 * asked: with a small receive buffer it is a client that has stopped reading, and closing it is a client that went
 * away (which an HTTP client library's cancel is not).
 */
final class RawEventStream implements Closeable {

	private static final int MAX_HEAD = 16 * 1024;

	private final Socket socket;

	private final int status;

	private final Map<String, String> headers;

	private RawEventStream(Socket socket, int status, Map<String, String> headers) {
		this.socket = socket;
		this.status = status;
		this.headers = headers;
	}

	/** Opens a stream with an {@code Authorization} or {@code X-API-Key} header line ("Name: value"). */
	static RawEventStream open(int port, String path, String credentialHeader, int receiveBuffer) throws IOException {
		Socket socket = new Socket();
		try {
			// before connecting, so the window the server sees stays small
			socket.setReceiveBufferSize(receiveBuffer);
			socket.setSoTimeout(10_000);
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
			String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
					+ "\r\nAccept: text/event-stream\r\nConnection: close\r\n" + credentialHeader + "\r\n\r\n";
			socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			String[] head = readHead(socket.getInputStream()).split("\r\n");
			int status = Integer.parseInt(head[0].split(" ")[1]);
			Map<String, String> headers = new LinkedHashMap<>();
			for (int i = 1; i < head.length; i++) {
				int colon = head[i].indexOf(':');
				if (colon > 0) {
					headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
							head[i].substring(colon + 1).trim());
				}
			}
			return new RawEventStream(socket, status, headers);
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			throw ex;
		}
	}

	static RawEventStream open(int port, String path, String credentialHeader) throws IOException {
		return open(port, path, credentialHeader, 64 * 1024);
	}

	int status() {
		return status;
	}

	String header(String name) {
		return headers.get(name.toLowerCase(Locale.ROOT));
	}

	/** The rest of the response, for answers that end (errors): read until the server closes, at most 64 KB. */
	String body() throws IOException {
		byte[] body = socket.getInputStream().readNBytes(64 * 1024);
		return new String(body, StandardCharsets.UTF_8);
	}

	@Override
	public void close() throws IOException {
		socket.close();
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		byte[] end = { '\r', '\n', '\r', '\n' };
		while (matched < end.length) {
			int next = in.read();
			if (next < 0 || head.size() >= MAX_HEAD) {
				throw new IOException("No complete response head");
			}
			head.write(next);
			matched = (next == end[matched]) ? matched + 1 : ((next == '\r') ? 1 : 0);
		}
		return head.toString(StandardCharsets.ISO_8859_1).trim();
	}

}
