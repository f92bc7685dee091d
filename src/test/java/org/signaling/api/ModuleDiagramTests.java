package org.signaling.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.docs.Documenter;
import org.springframework.modulith.docs.Documenter.Options;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module diagram in {@code docs/modules/components.puml} (C4 PlantUML, linked from the README) is the one
 * Spring Modulith draws from the code today, so it cannot drift from the modules {@link ModularityTests} verifies.
 * After a deliberate change of module dependencies, refresh it with
 * {@code ./mvnw -B test -Dtest=ModuleDiagramTests -Dmodules.update=true} and review the diff.
 */
class ModuleDiagramTests {

	static final Path COMMITTED = Path.of("docs/modules/components.puml");

	static final Path GENERATED_FOLDER = Path.of("target/spring-modulith-docs");

	@Test
	void committedDiagramIsTheGeneratedOne() throws IOException {
		new Documenter(ModularityTests.MODULES, Options.defaults().withOutputFolder(GENERATED_FOLDER.toString()))
			.writeModulesAsPlantUml(); // components.puml
		String generated = canonical(
				Files.readString(GENERATED_FOLDER.resolve("components.puml"), StandardCharsets.UTF_8));
		if (Boolean.getBoolean("modules.update")) {
			Files.createDirectories(COMMITTED.getParent());
			Files.writeString(COMMITTED, generated, StandardCharsets.UTF_8);
		}
		assertThat(generated).as("generated module diagram vs %s; after a deliberate change of module dependencies "
				+ "run ./mvnw -B test -Dtest=ModuleDiagramTests -Dmodules.update=true", COMMITTED)
			.isEqualTo(Files.readString(COMMITTED, StandardCharsets.UTF_8));
	}

	/**
	 * The exporter lists components and relationships in hash order, which differs from run to run; sorting each
	 * run of {@code Component(...)} or {@code Rel(...)} lines keeps the same diagram and makes the text stable.
	 */
	static String canonical(String plantUml) {
		List<String> out = new ArrayList<>();
		List<String> run = new ArrayList<>();
		String runKind = null;
		for (String line : plantUml.split("\n", -1)) {
			String kind = sortable(line);
			if (runKind != null && !runKind.equals(kind)) {
				run.sort(null);
				out.addAll(run);
				run.clear();
			}
			runKind = kind;
			if (kind != null) {
				run.add(line);
			}
			else {
				out.add(line);
			}
		}
		run.sort(null);
		out.addAll(run);
		return String.join("\n", out);
	}

	private static String sortable(String line) {
		String trimmed = line.strip();
		if (trimmed.startsWith("Component(")) {
			return "Component";
		}
		return trimmed.startsWith("Rel(") ? "Rel" : null;
	}

}
