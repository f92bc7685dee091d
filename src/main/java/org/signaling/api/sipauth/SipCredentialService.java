package org.signaling.api.sipauth;

import java.time.Clock;

import org.jspecify.annotations.Nullable;
import org.signaling.api.dn.DnAccessDeniedException;
import org.signaling.api.dn.DnDirectory;
import org.signaling.api.dn.DnNotFoundException;
import org.signaling.api.dn.DnSyntax;
import org.signaling.api.pages.AgentSipEndpoint;
import org.signaling.api.shared.CallerScope;
import org.signaling.api.shared.ProblemType;
import org.signaling.api.shared.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;

/**
 * Issues agents' SIP credentials ({@link EphemeralCredentials}), valid for {@code signaling.sip-auth.ttl} from now.
 * <p>
 * For which DN: a credential bound to a DN (an agent token) gets its own DN's only, whatever its scopes; any other
 * caller the filter chain lets through ({@code calls} or {@code admin}) names the DN. With a DN directory configured,
 * only its DNs get credentials: one outside it may be a number the dial plan sends elsewhere (a PBX user, a trunk),
 * whose calls a registration would take. Without a directory nothing is known of a DN before it registers, so any
 * well-formed DN does.
 */
@Service
public class SipCredentialService {

	private static final Logger log = LoggerFactory.getLogger(SipCredentialService.class);

	static final String NOT_CONFIGURED = "SIP credentials are not configured: set SIP_AUTH_SECRET "
			+ "(signaling.sip-auth.secret), the secret Kamailio checks them with";

	private final SipAuthProperties properties;

	private final @Nullable EphemeralCredentials credentials;

	private final AgentSipEndpoint endpoint;

	private final DnDirectory directory;

	private final CallerScope callerScope;

	private final Clock clock;

	SipCredentialService(SipAuthProperties properties, AgentSipEndpoint endpoint, DnDirectory directory,
			CallerScope callerScope, Clock clock) {
		this.properties = properties;
		this.credentials = properties.isConfigured() ? new EphemeralCredentials(properties.secret()) : null;
		this.endpoint = endpoint;
		this.directory = directory;
		this.callerScope = callerScope;
		this.clock = clock;
		if (credentials == null) {
			log.warn("SIP_AUTH_SECRET is not set: POST /api/agent/sip-credentials answers 503, and agents cannot "
					+ "register with a Kamailio that authenticates them");
		}
	}

	/**
	 * Credentials for the caller's DN, or for {@code requestedDn}.
	 * @param requestedDn the body's {@code dn}; may be left out by an agent token
	 * @throws DnSyntax.InvalidDnException 400 for a malformed DN
	 * @throws ErrorResponseException 400 without a DN where one is needed, 503 without a secret
	 * @throws DnAccessDeniedException 403 for an agent token naming another DN
	 * @throws DnNotFoundException 404 for a DN outside the configured directory
	 */
	public SipCredentials issue(@Nullable String requestedDn) {
		String dn = dnFor(requestedDn);
		if (!directory.admits(dn)) {
			throw new DnNotFoundException(dn);
		}
		if (credentials == null) {
			throw Problems.exception(ProblemType.SIP_CREDENTIALS_NOT_CONFIGURED, NOT_CONFIGURED);
		}
		long expiresAt = clock.instant().plus(properties.ttl()).getEpochSecond();
		String username = EphemeralCredentials.username(expiresAt, dn);
		String realm = (properties.realm() != null) ? properties.realm() : endpoint.sipDomain();
		return new SipCredentials(username, credentials.password(username), expiresAt, realm,
				endpoint.websocketUrl());
	}

	private String dnFor(@Nullable String requestedDn) {
		if (requestedDn != null) {
			DnSyntax.requireValid(requestedDn);
		}
		String bound = callerScope.boundDn();
		if (bound != null) {
			if (requestedDn != null && !requestedDn.equals(bound)) {
				throw new DnAccessDeniedException(bound, "get SIP credentials for");
			}
			return bound;
		}
		if (requestedDn == null) {
			throw Problems.exception(ProblemType.MISSING_PARAMETER, "Missing required parameter: dn");
		}
		return requestedDn;
	}

}
