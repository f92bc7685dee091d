package org.signaling.api.shared;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalogue is what integrators branch on: its ids are unique, and docs/api.md lists exactly them. */
class ProblemTypeTests {

	private static final Pattern ROW = Pattern.compile("(?m)^\\| `([a-z-]+)` \\| (\\d{3}) \\|");

	@Test
	void idsAreUnique() {
		assertThat(Arrays.stream(ProblemType.values()).map(ProblemType::id)).doesNotHaveDuplicates();
	}

	@Test
	void theErrorsTableOfTheApiDocsListsEveryTypeWithItsStatus() throws IOException {
		Matcher rows = ROW.matcher(Files.readString(Path.of("docs/api.md")));
		List<String> documented = rows.results().map((row) -> row.group(1) + " " + row.group(2)).toList();

		assertThat(documented).containsExactlyInAnyOrderElementsOf(
				Arrays.stream(ProblemType.values()).map((type) -> type.id() + " " + type.status().value()).toList());
	}

	@Test
	void aTypeIsFoundByItsUriAndOnlyThen() {
		assertThat(ProblemType.of(ProblemType.CALL_NOT_FOUND.uri())).contains(ProblemType.CALL_NOT_FOUND);
		assertThat(ProblemType.of(Problems.forStatus(HttpStatus.BAD_REQUEST, "x").getType()))
			.isEmpty();
	}

}
