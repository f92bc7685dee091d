package org.signaling.api.shared;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Keeps what was built from some sources until one of them changes. Sources are compared with {@code equals}: the
 * live view's snapshots (one object per refresh) compare by identity, small values (the current second, a record of
 * a backend's health) by value. Values may also be kept per key (one per DN), all dropped together at the next change.
 * <p>
 * Two readers that meet a change at once may both build; either result is right and one is kept. Hand-written: a
 * cache library (Caffeine) answers by key and expiry, not by "built from these sources", which is all this needs.
 *
 * @param <K> the key of a value kept per key ({@code String} for a DN; anything when there is one value)
 * @param <V> what is built
 */
public final class PerChange<K, V> {

	/** Bounds the values kept per key, whatever keys the requests bring. */
	private static final int MAX_KEYS = 100_000;

	private static final Object ONLY = new Object();

	private volatile Generation current = new Generation(new Object[0], new ConcurrentHashMap<>());

	/** The value built from {@code sources}; built now when a source is not (equal to) the one it was built from. */
	public V get(Supplier<V> build, Object... sources) {
		return kept(ONLY, (ignored) -> build.get(), null, sources);
	}

	/** The value for {@code key} built from {@code sources}. */
	public V get(K key, Function<K, V> build, Object... sources) {
		return kept(key, build, key, sources);
	}

	private V kept(Object slot, Function<K, V> build, @Nullable K key, Object[] sources) {
		Generation generation = generationFor(sources);
		@SuppressWarnings("unchecked")
		V kept = (V) generation.values.get(slot);
		if (kept != null) {
			return kept;
		}
		@SuppressWarnings("unchecked")
		V built = build.apply((K) key);
		if (generation.values.size() < MAX_KEYS) {
			generation.values.putIfAbsent(slot, built);
		}
		return built;
	}

	private Generation generationFor(Object[] sources) {
		Generation generation = current;
		if (generation.isBuiltFromTheSame(sources)) {
			return generation;
		}
		// Equal sources in new objects (a refresh that changed nothing) keep the values and take the new objects, so
		// that the next reads compare by identity again.
		generation = new Generation(sources.clone(),
				generation.isBuiltFromEqual(sources) ? generation.values : new ConcurrentHashMap<>());
		current = generation;
		return generation;
	}

	private record Generation(Object[] sources, Map<Object, Object> values) {

		boolean isBuiltFromTheSame(Object[] others) {
			if (others.length != sources.length) {
				return false;
			}
			for (int i = 0; i < others.length; i++) {
				if (others[i] != sources[i]) {
					return false;
				}
			}
			return true;
		}

		boolean isBuiltFromEqual(Object[] others) {
			if (others.length != sources.length) {
				return false;
			}
			for (int i = 0; i < others.length; i++) {
				if (!others[i].equals(sources[i])) {
					return false;
				}
			}
			return true;
		}

	}

}
