package org.signaling.client;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTests {

	@Test
	void readsEveryKindOfValue() {
		Map<String, Object> json = Json.parseObject(
				" {\"s\":\"a\\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00\",\"i\":-42,\"big\":123456789012345678901234,"
						+ "\"d\":1.5e2,\"t\":true,\"f\":false,\"n\":null,\"a\":[1,[],{}],\"o\":{\"x\":{}}}\r\n");
		assertEquals("a\"b\\c/d\né😀", json.get("s"));
		assertEquals(-42L, json.get("i"));
		assertEquals(new BigDecimal("123456789012345678901234"), json.get("big"));
		assertEquals(150.0, json.get("d"));
		assertEquals(Boolean.TRUE, json.get("t"));
		assertEquals(Boolean.FALSE, json.get("f"));
		assertTrue(json.containsKey("n"));
		assertNull(json.get("n"));
		assertEquals(List.of(1L, List.of(), Map.of()), json.get("a"));
		assertEquals(Map.of("x", Map.of()), json.get("o"));
		assertEquals(List.of("s", "i", "big", "d", "t", "f", "n", "a", "o"), List.copyOf(json.keySet()));
	}

	@Test
	void anEventCarriesTheTraceIdOfTheRequestThatCausedIt() {
		Event traced = Event.from("{\"id\":\"evt-1\",\"type\":\"call.held\",\"sequence\":2,\"data\":{},"
				+ "\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}");
		Event untraced = Event.from("{\"id\":\"evt-2\",\"type\":\"dn.busy\",\"data\":{},\"trace_id\":null}");
		Event older = Event.from("{\"id\":\"evt-3\",\"type\":\"dn.busy\",\"data\":{}}");

		assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", traced.traceId());
		assertNull(untraced.traceId());
		assertNull(older.traceId());
	}

	@Test
	void rejectsWhatIsNotJson() {
		for (String bad : List.of("", "{", "{\"a\":1,}", "[1,]", "{'a':1}", "{\"a\":01}", "{\"a\":1} x", "tru",
				"{\"a\" 1}", "\"\\x\"", "\"\\u12\"", "\"a\nb\"", "-", "1.", "1e", "{a:1}", "[1 2]", "// c\n1",
				"NaN")) {
			assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
		}
		assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[]"));
		assertThrows(IllegalArgumentException.class, () -> Json.parse("[".repeat(600) + "]".repeat(600)));
	}

	@Test
	void writesWhatItReads() {
		Map<String, Object> value = new LinkedHashMap<>();
		value.put("from", "5001");
		value.put("quote", "a\"b\\c\n\t\u0001\u2028");
		value.put("auto_answer", true);
		value.put("timeout", 20);
		value.put("n", null);
		value.put("list", List.of(1L, 2.5, "x"));
		String text = Json.write(value);
		assertEquals("{\"from\":\"5001\",\"quote\":\"a\\\"b\\\\c\\n\\t\\u0001\\u2028\",\"auto_answer\":true,"
				+ "\"timeout\":20,\"n\":null,\"list\":[1,2.5,\"x\"]}", text);
		Map<String, Object> back = Json.parseObject(text);
		assertEquals("a\"b\\c\n\t\u0001\u2028", back.get("quote"));
		assertEquals(20L, back.get("timeout"));
		assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
		assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
	}

}
