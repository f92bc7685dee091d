package org.signaling.api.testsupport.ami;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One client connection to {@link AmiServerDouble}. Writes are serialized, so a response is never interleaved with
 * an event.
 */
public final class AmiSession {

	private final long id;

	private final Socket socket;

	private final OutputStream out;

	private volatile boolean loggedIn;

	private volatile String username;

	private String challenge;

	AmiSession(long id, Socket socket) throws IOException {
		this.id = id;
		this.socket = socket;
		this.out = socket.getOutputStream();
	}

	public long id() {
		return id;
	}

	public boolean isLoggedIn() {
		return loggedIn;
	}

	/** The user that logged in, or {@code null}. */
	public String username() {
		return username;
	}

	void loggedIn(String user) {
		this.username = user;
		this.loggedIn = true;
	}

	/** This session's MD5 challenge, made on first request (Asterisk makes one per session). */
	public synchronized String challenge() {
		if (challenge == null) {
			challenge = Long.toString(ThreadLocalRandom.current().nextLong(100_000_000L, 2_147_483_647L));
		}
		return challenge;
	}

	synchronized String issuedChallenge() {
		return challenge;
	}

	/** Writes a message as is. Returns whether it was written (false once the session is closed). */
	public boolean send(AmiMessage message) {
		return sendRaw(message.toWire());
	}

	/** Writes text as is, for framing tests. */
	public boolean sendRaw(String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		synchronized (out) {
			try {
				out.write(bytes);
				out.flush();
				return true;
			}
			catch (IOException ex) {
				close();
				return false;
			}
		}
	}

	/** {@code Response: <response>}, the request's ActionID, then the given name/value pairs. */
	public boolean respond(AmiMessage request, String response, String... namesAndValues) {
		AmiMessage message = AmiMessage.response(response, request.actionId());
		for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
			message = message.with(namesAndValues[i], namesAndValues[i + 1]);
		}
		return send(message);
	}

	public boolean success(AmiMessage request, String... namesAndValues) {
		return respond(request, "Success", namesAndValues);
	}

	public boolean error(AmiMessage request, String message) {
		return respond(request, "Error", "Message", message);
	}

	/** Closes the connection from the server side (FIN). */
	public void close() {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// already gone
		}
	}

	public boolean isOpen() {
		return !socket.isClosed();
	}

	@Override
	public String toString() {
		return "AmiSession[" + id + (loggedIn ? ", " + username : ", not logged in") + "]";
	}

}
