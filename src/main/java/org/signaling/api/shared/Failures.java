package org.signaling.api.shared;

/**
 * A failure as one bounded log value: the innermost cause's type and the first 200 characters of its message, with
 * control characters replaced. Database and driver messages can quote the values they were given, and those can
 * come from a SIP sender; a log line must neither grow with them nor be split by them.
 */
public final class Failures {

	private static final int MAX_MESSAGE = 200;

	private Failures() {
	}

	public static String describe(Throwable failure) {
		Throwable innermost = failure;
		while (innermost.getCause() != null && innermost.getCause() != innermost) {
			innermost = innermost.getCause();
		}
		String message = innermost.getMessage();
		if (message == null) {
			return innermost.getClass().getSimpleName();
		}
		StringBuilder text = new StringBuilder(innermost.getClass().getSimpleName()).append(": ");
		int end = Math.min(message.length(), MAX_MESSAGE);
		for (int i = 0; i < end; i++) {
			char c = message.charAt(i);
			text.append((c < 0x20 || c == 0x7f) ? ' ' : c);
		}
		if (message.length() > MAX_MESSAGE) {
			text.append("...");
		}
		return text.toString();
	}

}
