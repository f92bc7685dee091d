package org.signaling.client;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small JSON reader and writer the client needs, so that it depends on nothing but the JDK. Reads RFC 8259
 * text into {@code Map<String, Object>} (insertion ordered), {@code List<Object>}, {@code String}, {@code Long}
 * (integers that fit) or {@code Double} / {@code BigDecimal}, {@code Boolean} and {@code null}; writes the same
 * types back. Strict: trailing commas, comments, single quotes, leading zeros and trailing text are errors. Nesting
 * is limited to {@value #MAX_DEPTH} levels.
 */
public final class Json {

	static final int MAX_DEPTH = 512;

	private final String text;

	private int pos;

	private Json(String text) {
		this.text = text;
	}

	/** Parses a JSON text; throws {@link IllegalArgumentException} with the position of the first error. */
	public static Object parse(String text) {
		Json parser = new Json(text);
		parser.skipWhitespace();
		Object value = parser.value(0);
		parser.skipWhitespace();
		if (parser.pos != text.length()) {
			throw parser.error("trailing text");
		}
		return value;
	}

	/** Parses a JSON object. */
	@SuppressWarnings("unchecked")
	public static Map<String, Object> parseObject(String text) {
		Object value = parse(text);
		if (!(value instanceof Map)) {
			throw new IllegalArgumentException("expected a JSON object");
		}
		return (Map<String, Object>) value;
	}

	/** Writes maps, iterables, strings, numbers, booleans and null as JSON. */
	public static String write(Object value) {
		StringBuilder out = new StringBuilder();
		write(value, out);
		return out.toString();
	}

	private static void write(Object value, StringBuilder out) {
		if (value == null) {
			out.append("null");
		}
		else if (value instanceof String string) {
			quote(string, out);
		}
		else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
				|| value instanceof BigDecimal) {
			out.append(value);
		}
		else if (value instanceof Number number) {
			double d = number.doubleValue();
			if (Double.isNaN(d) || Double.isInfinite(d)) {
				throw new IllegalArgumentException("not a JSON number: " + d);
			}
			out.append((d == Math.rint(d) && Math.abs(d) < 1e15) ? Long.toString((long) d) : Double.toString(d));
		}
		else if (value instanceof Map<?, ?> map) {
			out.append('{');
			boolean first = true;
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				if (!first) {
					out.append(',');
				}
				first = false;
				quote(String.valueOf(entry.getKey()), out);
				out.append(':');
				write(entry.getValue(), out);
			}
			out.append('}');
		}
		else if (value instanceof Iterable<?> iterable) {
			out.append('[');
			boolean first = true;
			for (Object item : iterable) {
				if (!first) {
					out.append(',');
				}
				first = false;
				write(item, out);
			}
			out.append(']');
		}
		else {
			throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
		}
	}

	private static void quote(String string, StringBuilder out) {
		out.append('"');
		for (int i = 0; i < string.length(); i++) {
			char c = string.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				case '\b' -> out.append("\\b");
				case '\f' -> out.append("\\f");
				default -> {
					if (c < 0x20 || c == '\u2028' || c == '\u2029') {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

	private Object value(int depth) {
		if (depth > MAX_DEPTH) {
			throw error("nested too deeply");
		}
		if (pos >= text.length()) {
			throw error("unexpected end");
		}
		char c = text.charAt(pos);
		return switch (c) {
			case '{' -> object(depth);
			case '[' -> array(depth);
			case '"' -> string();
			case 't' -> literal("true", Boolean.TRUE);
			case 'f' -> literal("false", Boolean.FALSE);
			case 'n' -> literal("null", null);
			default -> {
				if (c == '-' || (c >= '0' && c <= '9')) {
					yield number();
				}
				throw error("unexpected character '" + c + "'");
			}
		};
	}

	private Map<String, Object> object(int depth) {
		pos++;
		Map<String, Object> map = new LinkedHashMap<>();
		skipWhitespace();
		if (peek() == '}') {
			pos++;
			return Collections.unmodifiableMap(map);
		}
		for (;;) {
			skipWhitespace();
			if (peek() != '"') {
				throw error("expected a name");
			}
			String name = string();
			skipWhitespace();
			expect(':');
			skipWhitespace();
			map.put(name, value(depth + 1));
			skipWhitespace();
			char c = next();
			if (c == '}') {
				return Collections.unmodifiableMap(map);
			}
			if (c != ',') {
				pos--;
				throw error("expected ',' or '}'");
			}
		}
	}

	private List<Object> array(int depth) {
		pos++;
		List<Object> list = new ArrayList<>();
		skipWhitespace();
		if (peek() == ']') {
			pos++;
			return Collections.unmodifiableList(list);
		}
		for (;;) {
			skipWhitespace();
			list.add(value(depth + 1));
			skipWhitespace();
			char c = next();
			if (c == ']') {
				return Collections.unmodifiableList(list);
			}
			if (c != ',') {
				pos--;
				throw error("expected ',' or ']'");
			}
		}
	}

	private String string() {
		pos++;
		StringBuilder out = new StringBuilder();
		for (;;) {
			char c = next();
			if (c == '"') {
				return out.toString();
			}
			if (c < 0x20) {
				pos--;
				throw error("control character in string");
			}
			if (c != '\\') {
				out.append(c);
				continue;
			}
			char escape = next();
			switch (escape) {
				case '"', '\\', '/' -> out.append(escape);
				case 'b' -> out.append('\b');
				case 'f' -> out.append('\f');
				case 'n' -> out.append('\n');
				case 'r' -> out.append('\r');
				case 't' -> out.append('\t');
				case 'u' -> {
					if (pos + 4 > text.length()) {
						throw error("short \\u escape");
					}
					int code = 0;
					for (int i = 0; i < 4; i++) {
						int digit = Character.digit(text.charAt(pos++), 16);
						if (digit < 0) {
							pos--;
							throw error("bad \\u escape");
						}
						code = code * 16 + digit;
					}
					out.append((char) code);
				}
				default -> {
					pos--;
					throw error("bad escape");
				}
			}
		}
	}

	private Object number() {
		int start = pos;
		if (peek() == '-') {
			pos++;
		}
		if (peek() == '0') {
			pos++;
		}
		else if (!digits()) {
			throw error("bad number");
		}
		boolean integer = true;
		if (peek() == '.') {
			pos++;
			integer = false;
			if (!digits()) {
				throw error("bad fraction");
			}
		}
		if (peek() == 'e' || peek() == 'E') {
			pos++;
			integer = false;
			if (peek() == '+' || peek() == '-') {
				pos++;
			}
			if (!digits()) {
				throw error("bad exponent");
			}
		}
		String number = text.substring(start, pos);
		if (integer) {
			try {
				return Long.parseLong(number);
			}
			catch (NumberFormatException tooLarge) {
				return new BigDecimal(number);
			}
		}
		double d = Double.parseDouble(number);
		return Double.isInfinite(d) ? new BigDecimal(number) : d;
	}

	private boolean digits() {
		int start = pos;
		while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
			pos++;
		}
		return pos > start;
	}

	private Object literal(String word, Object value) {
		if (!text.startsWith(word, pos)) {
			throw error("unexpected literal");
		}
		pos += word.length();
		return value;
	}

	private void skipWhitespace() {
		while (pos < text.length()) {
			char c = text.charAt(pos);
			if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
				return;
			}
			pos++;
		}
	}

	private char peek() {
		return (pos < text.length()) ? text.charAt(pos) : '\0';
	}

	private char next() {
		if (pos >= text.length()) {
			throw error("unexpected end");
		}
		return text.charAt(pos++);
	}

	private void expect(char c) {
		if (next() != c) {
			pos--;
			throw error("expected '" + c + "'");
		}
	}

	private IllegalArgumentException error(String message) {
		return new IllegalArgumentException("Invalid JSON at position " + pos + ": " + message);
	}

}
