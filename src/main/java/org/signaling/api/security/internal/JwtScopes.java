package org.signaling.api.security.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/**
 * The scopes a JWT grants: {@code scope} as space-separated scope tokens (RFC 8693 §4.2), {@code scp} as a list of
 * scope tokens or a space-separated string (identity providers write it both ways). A claim of any other shape (a
 * number, an object, a list holding anything but strings), a value outside RFC 6749 §3.3's scope-token characters
 * (visible ASCII without {@code "} and {@code \}), or a value repeated within one claim makes the whole token
 * invalid: the decoder's validators ({@link #validator(String)}) refuse it with 401 {@code invalid_token} before
 * anything reads it. A token that says something odd about what it may do is not guessed at.
 */
final class JwtScopes {

	static final String SCOPE = "scope";

	static final String SCP = "scp";

	private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

	private JwtScopes() {
	}

	/** Refuses a token whose {@code claim} is present and malformed; an absent claim passes. */
	static JwtClaimValidator<@Nullable Object> validator(String claim) {
		return new JwtClaimValidator<>(claim, (value) -> value == null || parse(value) != null);
	}

	/**
	 * Every scope of the token, {@code scope} and {@code scp} together.
	 * @throws InvalidBearerTokenException for a malformed claim (the validators refuse those first)
	 */
	static Set<String> of(Jwt jwt) {
		Set<String> scopes = new LinkedHashSet<>();
		for (String claim : List.of(SCOPE, SCP)) {
			Object value = jwt.getClaims().get(claim);
			if (value == null) {
				continue;
			}
			List<String> tokens = parse(value);
			if (tokens == null) {
				throw new InvalidBearerTokenException("Malformed " + claim + " claim");
			}
			scopes.addAll(tokens);
		}
		return scopes;
	}

	/** The scope tokens of one claim value, in order; null when the value is malformed. */
	static @Nullable List<String> parse(Object value) {
		List<Object> items = new ArrayList<>();
		if (value instanceof String text) {
			for (String part : text.split(" ")) {
				// Runs of spaces, and spaces around the value, are tolerated; any other whitespace is not a separator.
				if (!part.isEmpty()) {
					items.add(part);
				}
			}
		}
		else if (value instanceof Collection<?> list) {
			items.addAll(list);
		}
		else {
			return null;
		}
		Set<String> tokens = new LinkedHashSet<>();
		for (Object item : items) {
			if (!(item instanceof String token) || !SCOPE_TOKEN.matcher(token).matches() || !tokens.add(token)) {
				return null;
			}
		}
		return List.copyOf(tokens);
	}

}
