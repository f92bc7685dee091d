package org.signaling.api.shared;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PerChangeTests {

	private final PerChange<String, String> kept = new PerChange<>();

	private final AtomicInteger builds = new AtomicInteger();

	@Test
	void buildsOncePerSnapshotOfItsSources() {
		Object snapshot = new Object();

		String first = kept.get(this::build, snapshot, 1L);
		String again = kept.get(this::build, snapshot, 1L);

		assertThat(again).isSameAs(first);
		assertThat(builds).hasValue(1);
	}

	@Test
	void aNewSnapshotOrAnotherSecondIsBuiltAgain() {
		Object snapshot = new Object();
		kept.get(this::build, snapshot, 1L);

		kept.get(this::build, new Object(), 1L);
		kept.get(this::build, new Object(), 2L);

		assertThat(builds).hasValue(3);
	}

	@Test
	void equalSourcesInNewObjectsKeepWhatWasBuilt() {
		String first = kept.get(this::build, new ArrayList<>(List.of("5001")), 1_000_000L);

		assertThat(kept.get(this::build, new ArrayList<>(List.of("5001")), 1_000_000L)).isSameAs(first);
		assertThat(builds).hasValue(1);
	}

	@Test
	void valuesKeptPerKeyAreAllDroppedAtTheNextChange() {
		Object snapshot = new Object();
		kept.get("5001", this::build, snapshot);
		kept.get("5002", this::build, snapshot);
		kept.get("5001", this::build, snapshot);
		assertThat(builds).hasValue(2);

		kept.get("5001", this::build, new Object());

		assertThat(builds).hasValue(3);
	}

	@Test
	void aFailedBuildIsNotKept() {
		Object snapshot = new Object();
		try {
			kept.get("5999", (dn) -> {
				throw new IllegalStateException("DN not found: " + dn);
			}, snapshot);
		}
		catch (IllegalStateException expected) {
			// as the build says
		}

		assertThat(kept.get("5999", this::build, snapshot)).isEqualTo("built 1 for 5999");
	}

	private String build() {
		return "built " + builds.incrementAndGet();
	}

	private String build(String key) {
		return "built " + builds.incrementAndGet() + " for " + key;
	}

}
