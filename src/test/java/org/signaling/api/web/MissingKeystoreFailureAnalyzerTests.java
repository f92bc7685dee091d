package org.signaling.api.web;

import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

class MissingKeystoreFailureAnalyzerTests {

	private final MissingKeystoreFailureAnalyzer analyzer = new MissingKeystoreFailureAnalyzer();

	@Test
	void tellsTheOperatorToConfigureAKeystore() {
		FailureAnalysis analysis = analyzer.analyze(new RuntimeException("web server failed to start",
				new IllegalStateException("SSL is enabled but no trust material is configured for the default host")));

		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("no keystore");
		assertThat(analysis.getAction()).contains("server.ssl.key-store").contains("scripts/run");
	}

	@Test
	void leavesOtherFailuresAlone() {
		assertThat(analyzer.analyze(new IllegalStateException("something else"))).isNull();
	}

}
