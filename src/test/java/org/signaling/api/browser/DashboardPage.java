package org.signaling.api.browser;

import java.util.List;

/**
 * The supervisor dashboard {@code /}, through its DOM contract: {@code input#api-key}, {@code button#sign-in};
 * DN rows {@code tr[data-dn][data-status]} (available, busy, offline); call rows
 * {@code tr[data-call-id][data-state]} with {@code .duration} and {@code button[data-action="hangup"]};
 * click-to-dial {@code input#dial-from}, {@code input#dial-to}, {@code button#dial},
 * {@code #dial-result[data-call-id]}; {@code #genesys[data-status]}, {@code [data-backend][data-status]}; totals
 * {@code #total-available|busy|offline|calls}; {@code #live[data-mode]} (stream, polling, offline).
 */
public final class DashboardPage extends Page {

	private DashboardPage(Chromium browser) {
		super(browser);
	}

	public static DashboardPage open(Chromium browser, String baseUrl) {
		browser.open(baseUrl + "/");
		return new DashboardPage(browser);
	}

	public void signIn(String apiKey) {
		type("input#api-key", apiKey);
		click("button#sign-in");
	}

	/** stream, polling or offline. */
	public String liveMode() {
		return attribute("#live", "data-mode");
	}

	/** The status of the DN's row (available, busy, offline), or null without a row. */
	public String dnStatus(String dn) {
		return attribute("tr[data-dn=" + quoted(dn) + "]", "data-status");
	}

	/** The number shown as total: available, busy, offline or calls. */
	public String total(String what) {
		return text("#total-" + what);
	}

	public List<String> callIds() {
		return attributes("tr[data-call-id]", "data-call-id");
	}

	/** The state of the call's row, or null without a row. */
	public String callState(String callId) {
		return attribute("tr[data-call-id=" + quoted(callId) + "]", "data-state");
	}

	public String callDuration(String callId) {
		return text("tr[data-call-id=" + quoted(callId) + "] .duration");
	}

	public String genesysStatus() {
		return attribute("#genesys", "data-status");
	}

	public String backendStatus(String backend) {
		return attribute("[data-backend=" + quoted(backend) + "]", "data-status");
	}

	/** Fills in the click-to-dial form and clicks Dial. */
	public void dial(String from, String to) {
		type("input#dial-from", from);
		type("input#dial-to", to);
		click("button#dial");
	}

	/** A click-to-dial with "Agent answers by itself" ticked (unticked by default: the agent's phone rings). */
	public void dialAnsweredByItself(String from, String to) {
		click("input#dial-auto-answer");
		dial(from, to);
	}

	/** The call id the last click-to-dial reported, or null. */
	public String dialResultCallId() {
		return attribute("#dial-result", "data-call-id");
	}

	/** ok or error once the last click-to-dial has an answer (the page's {@code #dial-result[data-outcome]}). */
	public String dialOutcome() {
		return attribute("#dial-result", "data-outcome");
	}

	public String dialResult() {
		return text("#dial-result");
	}

	/** Clicks the call row's hang-up button, and confirms if the page asks. */
	public void hangup(String callId) {
		click("tr[data-call-id=" + quoted(callId) + "] button[data-action=\"hangup\"]");
		browser().acceptDialogIfAny();
	}

	/**
	 * Clicks a call row's Listen, Whisper or Barge ({@code mode}): the first rings {@code supervisorDn}'s phone (typed
	 * into "Your phone"), a later one switches the mode.
	 */
	public void monitor(String callId, String supervisorDn, String mode) {
		type("input#supervisor-dn", supervisorDn);
		click("tr[data-call-id=" + quoted(callId) + "] button[data-action=\"monitor\"][data-mode=" + quoted(mode)
				+ "]");
	}

	/** Clicks a call row's Leave (ends this dashboard's monitor of the call). */
	public void leaveMonitor(String callId) {
		click("tr[data-call-id=" + quoted(callId) + "] button[data-action=\"end-monitor\"]");
	}

	/** The mode this dashboard monitors the call in ({@code data-monitor}), "" when it does not. */
	public String monitorMode(String callId) {
		return attribute("tr[data-call-id=" + quoted(callId) + "]", "data-monitor");
	}

	public String message() {
		return text("#message");
	}

	/** The browser's diagnostics plus the dashboard's rows; never throws. */
	public String diagnostics() {
		StringBuilder text = new StringBuilder(browser().diagnostics());
		if (!browser().isOpen()) {
			return text.toString();
		}
		try {
			text.append("live: ").append(liveMode()).append("; DN rows: ")
				.append(browser().script("""
						return [...document.querySelectorAll('tr[data-dn]')]
							.map((row) => row.dataset.dn + '=' + row.dataset.status).join(', ');
						"""))
				.append("; call rows: ")
				.append(browser().script("""
						return [...document.querySelectorAll('tr[data-call-id]')]
							.map((row) => row.dataset.callId + '=' + row.dataset.state).join(', ');
						"""))
				.append("; dial result: ").append(dialResultCallId()).append(" ").append(dialResult())
				.append('\n');
		}
		catch (RuntimeException ex) {
			text.append("(dashboard not readable: ").append(ex.getMessage().lines().findFirst().orElse(""))
				.append(")\n");
		}
		return text.toString();
	}

}
