package org.signaling.api.web;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns Tomcat's "no trust material" start-up failure into what an operator needs to do: TLS is on by default and
 * needs a keystore.
 */
class MissingKeystoreFailureAnalyzer extends AbstractFailureAnalyzer<IllegalStateException> {

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, IllegalStateException cause) {
		String message = cause.getMessage();
		if (message == null || !message.contains("SSL is enabled but no trust material is configured")) {
			return null;
		}
		return new FailureAnalysis("HTTPS is on (server.ssl.enabled=true) but no keystore is configured.",
				"Set server.ssl.key-store to a PKCS12 file and server.ssl.key-store-password "
						+ "(SERVER_SSL_KEY_STORE, SERVER_SSL_KEY_STORE_PASSWORD), or use scripts/run, which creates a "
						+ "self-signed development keystore. Behind a TLS-terminating proxy only: "
						+ "server.ssl.enabled=false.",
				cause);
	}

}
