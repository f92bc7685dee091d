package org.signaling.client;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SseParserTests {

	@Test
	void parsesMessagesCommentsMultiLineDataAndIds() {
		List<SseParser.Message> messages = new ArrayList<>();
		List<Long> retries = new ArrayList<>();
		SseParser parser = new SseParser(messages::add, retries::add);
		String stream = ":connected\n\nid: evt-1\nevent: dn.busy\ndata: {\"a\":1}\n\n: heartbeat\n\nretry: 1500\n"
				+ "id:evt-2\nevent:call.ended\ndata:line1\ndata: line2\n\ndata: no id\n\nevent: ping\n\n"
				+ "id: a\0b\ndata: y\n\nid: evt-3\ndata: unterminated";
		stream.lines().forEach(parser::line);
		assertEquals(List.of(new SseParser.Message("evt-1", "dn.busy", "{\"a\":1}"),
				new SseParser.Message("evt-2", "call.ended", "line1\nline2"),
				new SseParser.Message("evt-2", "message", "no id"), new SseParser.Message("evt-2", "message", "y")),
				messages);
		assertEquals(List.of(1500L), retries);
	}

}
