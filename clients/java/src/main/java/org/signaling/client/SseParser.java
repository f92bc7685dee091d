package org.signaling.client;

import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The text/event-stream format, line by line (the JDK's line splitting already handles CR, LF and CRLF): comments
 * are skipped, {@code data} lines joined with "\n", a message without data is not dispatched, and the last
 * {@code id} carries over to later messages, as the WHATWG specification says.
 */
final class SseParser {

	/** One dispatched message. */
	record Message(String id, String event, String data) {
	}

	private final Consumer<Message> onMessage;

	private final LongConsumer onRetry;

	private String lastEventId = "";

	private String event = "";

	private StringBuilder data;

	private String id;

	SseParser(Consumer<Message> onMessage, LongConsumer onRetry) {
		this.onMessage = onMessage;
		this.onRetry = onRetry;
	}

	void line(String line) {
		if (line.isEmpty()) {
			if (id != null) {
				lastEventId = id;
			}
			if (data != null) {
				onMessage.accept(new Message(lastEventId, event.isEmpty() ? "message" : event, data.toString()));
			}
			event = "";
			data = null;
			id = null;
			return;
		}
		if (line.startsWith(":")) {
			return;
		}
		int colon = line.indexOf(':');
		String field = (colon < 0) ? line : line.substring(0, colon);
		String value = (colon < 0) ? "" : line.substring(colon + 1);
		if (value.startsWith(" ")) {
			value = value.substring(1);
		}
		switch (field) {
			case "event" -> event = value;
			case "data" -> data = (data == null) ? new StringBuilder(value) : data.append('\n').append(value);
			case "id" -> {
				if (value.indexOf('\0') < 0) {
					id = value;
				}
			}
			case "retry" -> {
				if (value.matches("\\d{1,9}")) {
					onRetry.accept(Long.parseLong(value));
				}
			}
			default -> {
				// unknown fields are ignored
			}
		}
	}

}
