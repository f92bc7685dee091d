package org.signaling.api.browser;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * When things happened on the pages, from what {@code browser/instrumentation.js} recorded with {@code Date.now()}.
 * Every browser runs on this host, so their times compare with each other and with the JVM's
 * {@code System.currentTimeMillis()}. Used for the click-to-dial timings the tests and the benchmark print; no test
 * asserts a duration.
 */
public final class PageClock {

	private static final Pattern CALL_ELEMENT = Pattern.compile("[a-z0-9-]+#call(\\[.*)?");

	private PageClock() {
	}

	/** When the page last recorded a click on an element whose description starts with {@code element}. */
	public static OptionalLong lastClick(Chromium browser, String element) {
		List<Map<String, Object>> clicks = browser.clicks();
		for (int i = clicks.size() - 1; i >= 0; i--) {
			if (String.valueOf(clicks.get(i).get("element")).startsWith(element)) {
				return OptionalLong.of(((Number) clicks.get(i).get("at")).longValue());
			}
		}
		return OptionalLong.empty();
	}

	/** When the agent page's {@code #call} first took {@code state} at or after {@code since}. */
	public static OptionalLong callState(AgentPage agent, String state, long since) {
		for (Map<String, Object> change : agent.browser().timeline()) {
			long at = ((Number) change.get("at")).longValue();
			if (at >= since && "data-state".equals(change.get("attribute")) && state.equals(change.get("value"))
					&& CALL_ELEMENT.matcher(String.valueOf(change.get("element"))).matches()) {
				return OptionalLong.of(at);
			}
		}
		return OptionalLong.empty();
	}

	/**
	 * Milliseconds from the dashboard's last click on Dial to the callee's page ringing ({@code #call} incoming).
	 */
	public static long clickToRinging(DashboardPage dashboard, AgentPage callee) {
		long clicked = required(lastClick(dashboard.browser(), "button#dial"), "click on button#dial");
		return required(callState(callee, "incoming", clicked), callee.dn() + " incoming") - clicked;
	}

	/**
	 * Milliseconds from the dashboard's last click on a call's hang-up button to both agent pages idle (the later
	 * of the two).
	 */
	public static long hangupToIdle(DashboardPage dashboard, AgentPage... agents) {
		long clicked = required(lastClick(dashboard.browser(), "button[data-action=\"hangup\"]"),
				"click on a hang-up button");
		long last = clicked;
		for (AgentPage agent : agents) {
			last = Math.max(last, required(callState(agent, "idle", clicked), agent.dn() + " idle"));
		}
		return last - clicked;
	}

	private static long required(OptionalLong at, String what) {
		return at.orElseThrow(() -> new IllegalStateException("not recorded by the page: " + what));
	}

}
