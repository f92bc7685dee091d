package org.signaling.api.testsupport.ami;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A bare AMI client for the double's own tests: exact bytes in and out, every read bounded by a socket timeout. */
final class RawAmiClient implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private RawAmiClient(Socket socket) throws IOException {
		this.socket = socket;
		socket.setSoTimeout(5_000);
		this.in = new BufferedInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
	}

	static RawAmiClient connect(AmiServerDouble ami) throws IOException {
		return new RawAmiClient(new Socket(ami.host(), ami.port()));
	}

	/** Connected, past the banner, logged in with a plain secret, past {@code FullyBooted}. */
	static RawAmiClient loggedIn(AmiServerDouble ami, String username, String secret) throws IOException {
		RawAmiClient client = connect(ami);
		client.readLine();
		client.write("Action: Login\r\nUsername: " + username + "\r\nSecret: " + secret + "\r\n\r\n");
		assertThat(client.readMessage()).contains("Authentication accepted");
		assertThat(client.readMessage()).startsWith("Event: FullyBooted");
		return client;
	}

	void write(String text) throws IOException {
		out.write(text.getBytes(StandardCharsets.UTF_8));
		out.flush();
	}

	/** One line with its terminator, or {@code null} at end of stream. */
	String readLine() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != -1) {
			line.write(b);
			if (b == '\n') {
				return line.toString(StandardCharsets.UTF_8);
			}
		}
		return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
	}

	/** Lines up to and including the blank line that ends a message; "" at end of stream. */
	String readMessage() throws IOException {
		StringBuilder message = new StringBuilder();
		String line;
		while ((line = readLine()) != null) {
			message.append(line);
			if (line.equals("\r\n")) {
				break;
			}
		}
		return message.toString();
	}

	/** The value of a header in a message read by {@link #readMessage()}, or {@code null}. */
	static String header(String message, String name) {
		for (String line : message.split("\r\n")) {
			if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
				return line.substring(name.length() + 1).strip();
			}
		}
		return null;
	}

	@Override
	public void close() throws IOException {
		socket.close();
	}

}
