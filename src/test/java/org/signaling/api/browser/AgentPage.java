package org.signaling.api.browser;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * The agent softphone page {@code /agent}, through its DOM contract: {@code input#token} (the agent token, a
 * password field), {@code button#register}, {@code #registration[data-state]} (unregistered, connecting, registered,
 * failed), {@code #call[data-state]} (idle, incoming, outgoing, active, held), {@code #remote-party}, {@code #answer},
 * {@code #hangup}, {@code #message}, and the hook {@code window.signalingAgent} ({@code state()} with
 * {@code autoAnswer}, {@code clickToDialId} and {@code events}, {@code mediaStats()}, {@code sipLog()}).
 */
public final class AgentPage extends Page {

	private final String dn;

	private AgentPage(Chromium browser, String dn) {
		super(browser);
		this.dn = dn;
	}

	/** Opens {@code BASE/agent} in the browser, for the agent of {@code dn} (the DN its token will carry). */
	public static AgentPage open(Chromium browser, String baseUrl, String dn) {
		browser.open(baseUrl + "/agent");
		return new AgentPage(browser, dn);
	}

	/**
	 * The agent page framed by a host page the browser shows (WWE embedding {@code /agent}): points the driver into
	 * the frame the selector names ({@link Chromium#enterFrame}), where this page object then reads and clicks. A
	 * test that turns to the host page ({@link Chromium#leaveFrame}) enters the frame again before using it.
	 */
	public static AgentPage inFrame(Chromium browser, String frameSelector, String dn) {
		browser.enterFrame(frameSelector);
		return new AgentPage(browser, dn);
	}

	public String dn() {
		return dn;
	}

	/**
	 * Pastes the agent token into its field and clicks Sign in, as an agent does. The page takes its DN from the
	 * token (through its SIP credentials), so the token must be this page's DN's, e.g.
	 * {@code TestCredentials.agentToken(dn())}.
	 */
	public void signIn(String agentToken) {
		type("input#token", agentToken);
		click("button#register");
	}

	/**
	 * Waits until the page is registered as its DN and its event stream is open: only then does it learn of, and
	 * answer by itself, the click-to-dials placed for its DN.
	 */
	public void awaitSignedIn(Duration bound) {
		await("agent " + dn + " registered, its event stream open").atMost(bound)
			.failFast("agent " + dn + " is signed out again, with a message saying why (#message)",
					() -> "unregistered".equals(registration()) && message() != null && !message().isEmpty())
			.until(() -> "registered".equals(registration()) && dn.equals(state().get("dn"))
					&& "open".equals(state().get("events")));
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

	/** whisper or barge while the page says a supervisor speaks into the agent's call; "" otherwise. */
	public String supervisorMode() {
		String mode = attribute("#supervisor", "data-mode");
		return (mode != null && attribute("#supervisor", "hidden") == null) ? mode : "";
	}

	/** What the page says about the supervisor ("Supervisor 5009 is whispering to you"). */
	public String supervisorNotice() {
		return text("#supervisor");
	}

	public void answer() {
		click("button#answer");
	}

	public void hangup() {
		click("button#hangup");
	}

	/**
	 * {@code window.signalingAgent.state()}: registration, call, remote, dn, muted, held, autoAnswer, clickToDialId,
	 * events, pendingClickToDials, credentialsExpireAt.
	 */
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
				(String) stats.get("localAddress"), (String) stats.get("remoteAddress"),
				(String) stats.get("protocol"));
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

	/** Whether the current call is answered by the page itself, as a click-to-dial announced for its DN. */
	public boolean autoAnswered() {
		return Boolean.TRUE.equals(state().get("autoAnswer"));
	}

	/** The API call id of the current call when the page knows it as its click-to-dial, else null. */
	public String clickToDialId() {
		return (String) state().get("clickToDialId");
	}

	/** The page's own event stream: closed, connecting, open or failed. */
	public String events() {
		return (String) state().get("events");
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
