package org.signaling.api.security.internal;

import java.util.Set;
import java.util.regex.Pattern;

import org.signaling.api.dn.DnSyntax;
import org.signaling.api.security.ApiPrincipal;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/**
 * A validated JWT as an {@link ApiPrincipal}: subject, scopes from {@code scope} (space-separated) and {@code scp}
 * (list) as {@link JwtScopes} reads them, and the agent's DN from the configured claim. A token with a malformed DN
 * claim or subject is refused.
 */
final class JwtPrincipalConverter implements Converter<Jwt, AbstractAuthenticationToken> {

	private static final Pattern SUBJECT = Pattern.compile("[\\x21-\\x7E]{1,128}");

	private final String dnClaim;

	JwtPrincipalConverter(String dnClaim) {
		this.dnClaim = dnClaim;
	}

	@Override
	public AbstractAuthenticationToken convert(Jwt jwt) {
		Set<String> scopes = JwtScopes.of(jwt);
		String dn = jwt.getClaimAsString(dnClaim);
		if (dn != null && !DnSyntax.isValid(dn)) {
			// An agent token whose DN claim is garbage must not pass for an unbound (DN-free) token.
			throw new InvalidBearerTokenException("Invalid DN claim");
		}
		String subject = jwt.getSubject();
		if (subject == null || !SUBJECT.matcher(subject).matches()) {
			// The subject names the caller in audit lines and rate limits.
			throw new InvalidBearerTokenException("Missing or unusable subject");
		}
		return new ApiPrincipalAuthentication(
				new ApiPrincipal(subject, ApiPrincipal.Kind.JWT, scopes, dn, null, null));
	}

}
