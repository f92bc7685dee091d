package org.signaling.api.browser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Makes a red browser test diagnosable from its report alone: the failure's message gets what the pages, Kamailio
 * and the service's view said at that moment (the {@code report}), and every open page gets a screenshot,
 * {@code target/browser-artifacts/failure-TEST-PAGE.png}; the text is also saved as {@code failure-TEST.txt}.
 * Aborted tests (assumptions) pass through untouched.
 */
public final class FailureDiagnostics implements TestExecutionExceptionHandler,
		LifecycleMethodExecutionExceptionHandler {

	private final Supplier<String> report;

	private final Supplier<List<Chromium>> browsers;

	public FailureDiagnostics(Supplier<String> report, Supplier<List<Chromium>> browsers) {
		this.report = report;
		this.browsers = browsers;
	}

	@Override
	public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
		throw explained(context, failure);
	}

	@Override
	public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure)
			throws Throwable {
		throw explained(context, failure);
	}

	@Override
	public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure)
			throws Throwable {
		throw explained(context, failure);
	}

	private Throwable explained(ExtensionContext context, Throwable failure) {
		if (failure instanceof TestAbortedException) {
			return failure; // an assumption: nothing failed
		}
		String test = context.getTestMethod().map((method) -> method.getName()).orElse("setup");
		StringBuilder text = new StringBuilder();
		try {
			for (Chromium browser : browsers.get()) {
				if (browser != null && browser.isOpen()) {
					try {
						text.append("screenshot: ").append(browser.screenshot("failure-" + test + "-" + browser.name()))
							.append('\n');
					}
					catch (RuntimeException ex) {
						text.append("(no screenshot of ").append(browser.name()).append(": ").append(ex).append(")\n");
					}
				}
			}
			text.append(report.get());
		}
		catch (RuntimeException ex) {
			text.append("(diagnostics failed: ").append(ex).append(")\n");
		}
		try {
			Files.createDirectories(Chromium.ARTIFACTS);
			Path file = Chromium.ARTIFACTS.resolve("failure-" + test + ".txt");
			Files.writeString(file, failure + "\n\n" + text, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			text.append("(cannot save the diagnostics: ").append(ex).append(")\n");
		}
		AssertionError explained = new AssertionError(failure.getMessage() + "\n\n===== diagnostics =====\n" + text,
				failure);
		explained.setStackTrace(failure.getStackTrace());
		return explained;
	}

}
