package org.signaling.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Typed reads from parsed JSON objects; absent or mistyped fields give null (or 0 / false for primitives). */
final class Fields {

	private Fields() {
	}

	static String str(Map<String, Object> json, String name) {
		Object value = json.get(name);
		return (value == null) ? null : String.valueOf(value);
	}

	static Long lng(Map<String, Object> json, String name) {
		return (json.get(name) instanceof Number number) ? number.longValue() : null;
	}

	static long lng(Map<String, Object> json, String name, long otherwise) {
		Long value = lng(json, name);
		return (value != null) ? value : otherwise;
	}

	static int integer(Map<String, Object> json, String name) {
		return (int) lng(json, name, 0);
	}

	static boolean bool(Map<String, Object> json, String name) {
		return Boolean.TRUE.equals(json.get(name));
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Map<String, Object> json, String name) {
		return (json.get(name) instanceof Map<?, ?> map) ? (Map<String, Object>) map : Map.of();
	}

	@SuppressWarnings("unchecked")
	static <T> List<T> list(Map<String, Object> json, String name, Function<Map<String, Object>, T> mapper) {
		List<T> out = new ArrayList<>();
		if (json.get(name) instanceof List<?> items) {
			for (Object item : items) {
				if (item instanceof Map<?, ?> map) {
					out.add(mapper.apply((Map<String, Object>) map));
				}
			}
		}
		return List.copyOf(out);
	}

	static List<String> strings(Map<String, Object> json, String name) {
		List<String> out = new ArrayList<>();
		if (json.get(name) instanceof List<?> items) {
			items.forEach((item) -> out.add(String.valueOf(item)));
		}
		return List.copyOf(out);
	}

}
