package org.signaling.api.testsupport.ami;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One AMI message: ordered {@code Name: value} headers. Messages received by {@link AmiServerDouble} also keep their
 * raw text (line terminators included), so tests can check exactly what reached the socket.
 * <p>
 * Header names match case-insensitively and the first occurrence wins, as in Asterisk's {@code astman_get_header};
 * {@link #getAll(String)} returns every occurrence (for {@code Variable}).
 */
public final class AmiMessage {

	/** One header line. {@code value} has its leading blanks removed, as Asterisk does. */
	public record Header(String name, String value) {
	}

	private final List<Header> headers;

	private final String raw;

	private AmiMessage(List<Header> headers, String raw) {
		this.headers = List.copyOf(headers);
		this.raw = raw;
	}

	/** A message built from name/value pairs: {@code of("Event", "Newchannel", "Channel", "PJSIP/5001-1")}. */
	public static AmiMessage of(String... namesAndValues) {
		if (namesAndValues.length % 2 != 0) {
			throw new IllegalArgumentException("names and values must come in pairs");
		}
		List<Header> headers = new ArrayList<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			headers.add(new Header(namesAndValues[i], Objects.requireNonNull(namesAndValues[i + 1])));
		}
		return new AmiMessage(headers, "");
	}

	/** {@code Event: <name>}; add {@code Privilege} and the body with {@link #with}. */
	public static AmiMessage event(String name) {
		return of("Event", name);
	}

	/**
	 * {@code Response: <response>} followed by {@code ActionID} when the request had a non-empty one (Asterisk omits
	 * the line otherwise).
	 */
	public static AmiMessage response(String response, String actionId) {
		AmiMessage message = of("Response", response);
		return (actionId == null || actionId.isEmpty()) ? message : message.with("ActionID", actionId);
	}

	/** Parses received lines (terminators stripped); {@code raw} is the exact text received. */
	static AmiMessage parse(List<String> lines, String raw) {
		List<Header> headers = new ArrayList<>();
		for (String line : lines) {
			int colon = line.indexOf(':');
			if (colon < 0) {
				headers.add(new Header(line, ""));
			}
			else {
				headers.add(new Header(line.substring(0, colon), line.substring(colon + 1).stripLeading()));
			}
		}
		return new AmiMessage(headers, raw);
	}

	/** A copy with one more header at the end. */
	public AmiMessage with(String name, String value) {
		List<Header> more = new ArrayList<>(headers);
		more.add(new Header(name, Objects.requireNonNull(value)));
		return new AmiMessage(more, "");
	}

	/** The first header of that name (case-insensitive), or {@code null}. */
	public String get(String name) {
		for (Header header : headers) {
			if (header.name().equalsIgnoreCase(name)) {
				return header.value();
			}
		}
		return null;
	}

	/** Every header of that name, in order. */
	public List<String> getAll(String name) {
		return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
	}

	public boolean has(String name) {
		return get(name) != null;
	}

	/** The {@code Action} header, or {@code null}. */
	public String action() {
		return get("Action");
	}

	/** The {@code ActionID} header verbatim, or {@code null}. */
	public String actionId() {
		return get("ActionID");
	}

	/** Whether this is the named action (case-insensitive). */
	public boolean isAction(String name) {
		String action = action();
		return action != null && action.equalsIgnoreCase(name);
	}

	public List<Header> headers() {
		return headers;
	}

	/** Exactly what was received, line terminators included; "" for messages built in tests. */
	public String raw() {
		return raw;
	}

	/** The received lines without terminators; for built messages, the lines {@link #toWire()} would write. */
	public List<String> rawLines() {
		if (raw.isEmpty()) {
			return headers.stream().map(h -> h.name() + ": " + h.value()).toList();
		}
		List<String> lines = new ArrayList<>();
		for (String line : raw.split("\n", -1)) {
			lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
		}
		// The split leaves "" after the final terminator and the blank line ending the message.
		while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
			lines.remove(lines.size() - 1);
		}
		return lines;
	}

	/** The message as a server writes it: CRLF after every line and after the message. */
	public String toWire() {
		StringBuilder wire = new StringBuilder();
		for (Header header : headers) {
			wire.append(header.name()).append(": ").append(header.value()).append("\r\n");
		}
		return wire.append("\r\n").toString();
	}

	@Override
	public String toString() {
		return headers.stream()
			.map(h -> h.name().toLowerCase(Locale.ROOT).equals("key") || h.name().equalsIgnoreCase("secret")
					? h.name() + ": <redacted>" : h.name() + ": " + h.value())
			.toList()
			.toString();
	}

}
