package org.signaling.api.webhooks;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.signaling.api.events.EventTypes;

/**
 * What a subscription may contain, the same for the API and for configuration. Problems are described without
 * echoing the value: a URL may carry a token in its query.
 */
public final class WebhookRules {

	public static final int MAX_URL_LENGTH = 2048;

	public static final int MIN_SECRET_LENGTH = 16;

	public static final int MAX_SECRET_LENGTH = 256;

	public static final int MAX_DNS = 200;

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	// Visible ASCII only: the secret is the HMAC key as UTF-8, and receivers paste it into their configuration.
	private static final Pattern SECRET = Pattern.compile("[\\x21-\\x7e]{" + MIN_SECRET_LENGTH + ","
			+ MAX_SECRET_LENGTH + "}");

	private static final Pattern ECHOABLE_TYPE = Pattern.compile("[A-Za-z0-9._-]{1,40}");

	private WebhookRules() {
	}

	/**
	 * Why a URL cannot be a webhook target, if it cannot: absolute {@code http(s)} with a host, at most 2048 visible
	 * ASCII characters, no user info, no fragment; {@code https} unless insecure URLs are allowed.
	 */
	public static Optional<String> urlProblem(String url, boolean allowInsecure) {
		if (url.length() > MAX_URL_LENGTH || !url.chars().allMatch((c) -> c > 0x20 && c < 0x7f)) {
			return Optional.of("Invalid url: at most " + MAX_URL_LENGTH + " characters, no spaces or non-ASCII");
		}
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			return Optional.of("Invalid url: not a URL");
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!scheme.equals("https") && !scheme.equals("http")) {
			return Optional.of("Invalid url: only http and https URLs can receive webhooks");
		}
		if (uri.getHost() == null || uri.getHost().isEmpty()) {
			return Optional.of("Invalid url: no host");
		}
		if (uri.getRawUserInfo() != null) {
			return Optional.of("Invalid url: credentials in the URL are not allowed (verify the signature instead)");
		}
		if (uri.getRawFragment() != null) {
			return Optional.of("Invalid url: a fragment is not allowed");
		}
		if (scheme.equals("http") && !allowInsecure) {
			return Optional.of("Invalid url: https is required");
		}
		return Optional.empty();
	}

	/** A URL for logs: without its query (it may carry a token), user info or fragment. */
	public static String redacted(String url) {
		try {
			URI uri = new URI(url);
			return uri.getScheme() + "://" + uri.getHost() + ((uri.getPort() >= 0) ? ":" + uri.getPort() : "")
					+ ((uri.getRawPath() != null) ? uri.getRawPath() : "") + ((uri.getRawQuery() != null) ? "?..."
							: "");
		}
		catch (URISyntaxException ex) {
			return "(invalid URL)";
		}
	}

	public static boolean isKnownEventType(String type) {
		return EventTypes.ALL.contains(type);
	}

	/** The client-facing text for an unknown type; the type is repeated only when it is harmless to. */
	public static String unknownEventType(String type) {
		return ECHOABLE_TYPE.matcher(type).matches() ? "Unknown event type: " + type
				: "Invalid event_types: unknown event type";
	}

	public static boolean isValidSecret(String secret) {
		return SECRET.matcher(secret).matches();
	}

	/** Names of configuration subscriptions. */
	public static boolean isValidName(String name) {
		return NAME.matcher(name).matches();
	}

}
