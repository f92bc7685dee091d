package org.signaling.api.browser;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The agent softphone page {@code /agent}, through its DOM contract: {@code input#dn}, {@code button#register},
 * {@code #registration[data-state]} (unregistered, connecting, registered, failed), {@code #call[data-state]}
 * (idle, incoming, outgoing, active, held), {@code #remote-party}, {@code #answer}, {@code #hangup},
 * {@code #message}, and the hook {@code window.signalingAgent} ({@code state()}, {@code mediaStats()},
 * {@code sipLog()}).
 */
public final class AgentPage extends Page {

	private final String dn;

	private AgentPage(Chromium browser, String dn) {
		super(browser);
		this.dn = dn;
	}

	/** Opens {@code BASE/agent} in the browser, for the agent of {@code dn}. */
	public static AgentPage open(Chromium browser, String baseUrl, String dn) {
		browser.open(baseUrl + "/agent");
		return new AgentPage(browser, dn);
	}

	public String dn() {
		return dn;
	}

	/** The DN in the page's field. */
	public String dnField() {
		return value("input#dn");
	}

	/** Types the DN into its field and clicks Register, as an agent does. */
	public void register() {
		type("input#dn", dn);
		click("button#register");
	}

	public void unregister() {
		click("button#unregister");
	}

	/** unregistered, connecting, registered or failed. */
	public String registration() {
		return attribute("#registration", "data-state");
	}

	/** idle, incoming, outgoing, active or held. */
	public String call() {
		return attribute("#call", "data-state");
	}

	public String remoteParty() {
		return text("#remote-party");
	}

	public String message() {
		return text("#message");
	}

	public void answer() {
		click("button#answer");
	}

	public void hangup() {
		click("button#hangup");
	}

	/** {@code window.signalingAgent.state()}: registration, call, remote, muted, held. */
	@SuppressWarnings("unchecked")
	public Map<String, Object> state() {
		return (Map<String, Object>) browser().script("return window.signalingAgent.state();");
	}

	/** {@code window.signalingAgent.mediaStats()} of the current call. */
	@SuppressWarnings("unchecked")
	public MediaStats mediaStats() {
		Map<String, Object> stats = (Map<String, Object>) browser().asyncScript("""
				const done = arguments[arguments.length - 1];
				window.signalingAgent.mediaStats().then(done, (error) => done({ error: String(error) }));
				""");
		if (stats == null || stats.containsKey("error")) {
			throw new IllegalStateException("mediaStats() of " + dn + ": " + stats);
		}
		return new MediaStats(number(stats.get("bytesReceived")), number(stats.get("bytesSent")),
				(String) stats.get("localAddress"), (String) stats.get("remoteAddress"), (String) stats.get("protocol"));
	}

	/**
	 * {@code window.signalingAgent.sipLog()}: every SIP message, oldest first, each as the page gives it (an
	 * object, such as {@code at}, {@code direction} and the message or its first line, or a string) in its string
	 * form, for searching and for failure messages.
	 */
	public List<String> sipLog() {
		Object log = browser().script("return window.signalingAgent.sipLog();");
		if (!(log instanceof List<?> entries)) {
			throw new IllegalStateException("sipLog() of " + dn + " is not a list: " + log);
		}
		return entries.stream().map(String::valueOf).toList();
	}

	/** Whether a SIP message of the page's log holds {@code text} (such as a method name). */
	public boolean sipLogContains(String text) {
		return sipLog().stream().anyMatch((entry) -> entry.contains(text));
	}

	/** The browser's diagnostics plus the page's state and SIP log; never throws. */
	public String diagnostics() {
		StringBuilder text = new StringBuilder(browser().diagnostics());
		if (!browser().isOpen()) {
			return text.toString();
		}
		try {
			text.append("state(): ").append(state()).append('\n');
			List<String> log = sipLog();
			text.append("sipLog() (last 40 of ").append(log.size()).append(", each cut at 300 characters):\n");
			text.append(log.subList(Math.max(0, log.size() - 40), log.size())
				.stream()
				.map((entry) -> "  " + entry.substring(0, Math.min(entry.length(), 300)).replace("\r\n", " | "))
				.collect(Collectors.joining("\n")))
				.append('\n');
		}
		catch (RuntimeException ex) {
			text.append("(signalingAgent not readable: ")
				.append(ex.getMessage().lines().findFirst().orElse(""))
				.append(")\n");
		}
		return text.toString();
	}

	/** Closes the tab, as an agent does ({@code pagehide} runs). */
	public void close() {
		browser().closePage();
	}

	private static long number(Object value) {
		return (value instanceof Number number) ? number.longValue() : -1;
	}

	/** What {@code mediaStats()} reports of the selected candidate pair and the audio streams. */
	public record MediaStats(long bytesReceived, long bytesSent, String localAddress, String remoteAddress,
			String protocol) {
	}

}
