package org.signaling.api.browser;

import java.time.Duration;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import static org.awaitility.Awaitility.await;

/**
 * What the page objects share: reads go through one script each (no stale elements while a page re-renders),
 * clicks and typing through WebDriver, as a user's would, once the element can take them.
 */
abstract class Page {

	/** How long an element may take to show up or be enabled before a click. */
	static final Duration ELEMENT_BOUND = Duration.ofSeconds(10);

	private final Chromium browser;

	Page(Chromium browser) {
		this.browser = browser;
	}

	public Chromium browser() {
		return browser;
	}

	/** An attribute of the first element matching the selector, or null (no element, or no attribute). */
	String attribute(String selector, String attribute) {
		return (String) browser.script("""
				const element = document.querySelector(arguments[0]);
				return element ? element.getAttribute(arguments[1]) : null;
				""", selector, attribute);
	}

	/** The visible text of the first element matching the selector (trimmed), or null. */
	String text(String selector) {
		return (String) browser.script("""
				const element = document.querySelector(arguments[0]);
				return element ? element.textContent.trim() : null;
				""", selector);
	}

	/** The value of an input, or null. */
	String value(String selector) {
		return (String) browser.script("""
				const element = document.querySelector(arguments[0]);
				return element ? element.value : null;
				""", selector);
	}

	@SuppressWarnings("unchecked")
	List<String> attributes(String selector, String attribute) {
		return (List<String>) browser.script("""
				return [...document.querySelectorAll(arguments[0])]\
				.map((element) => element.getAttribute(arguments[1]));
				""", selector, attribute);
	}

	void click(String selector) {
		clickable(selector).click();
	}

	void type(String selector, String text) {
		WebElement input = clickable(selector);
		input.clear();
		input.sendKeys(text);
	}

	/** The element, once it is displayed and enabled (bounded). */
	WebElement clickable(String selector) {
		return await(selector + " displayed and enabled on " + browser.name()).atMost(ELEMENT_BOUND)
			.ignoreExceptions()
			.until(() -> browser.driver().findElement(By.cssSelector(selector)),
					(element) -> element.isDisplayed() && element.isEnabled());
	}

	/** A CSS attribute selector value, quoted for {@code [name="value"]}. */
	static String quoted(String value) {
		return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
	}

}
