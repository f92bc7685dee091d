package org.signaling.api.security.internal;

import java.util.Set;

import org.signaling.api.call.CallPermissions;
import org.signaling.api.security.ApiPrincipal;
import org.signaling.api.security.Scopes;
import org.signaling.api.shared.ProblemType;
import org.signaling.api.shared.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * An agent token (a JWT with a DN claim) acts for its DN only; supervisors ({@code supervise}) may end any call;
 * API keys are not bound to a DN.
 */
@Component
class DnBoundCallPermissions implements CallPermissions {

	@Override
	public void checkMake(String fromDn) {
		ApiPrincipal caller = caller();
		if (caller.dn() != null && !caller.has(Scopes.ADMIN) && !caller.dn().equals(fromDn)) {
			throw Problems.exception(ProblemType.DN_ACCESS_DENIED,
					"Agent " + caller.dn() + " may only make calls from its own DN");
		}
	}

	@Override
	public void checkHangup(Set<String> dnsOfCall) {
		requireInCall(dnsOfCall, "hang up");
	}

	@Override
	public void checkControl(Set<String> dnsOfCall) {
		requireInCall(dnsOfCall, "control");
	}

	/** An agent token acts only on calls its DN is in; supervisors and API keys on any. */
	private static void requireInCall(Set<String> dnsOfCall, String verb) {
		ApiPrincipal caller = caller();
		if (caller.dn() != null && !caller.has(Scopes.SUPERVISE) && !dnsOfCall.contains(caller.dn())) {
			throw Problems.exception(ProblemType.DN_ACCESS_DENIED,
					"Agent " + caller.dn() + " may only " + verb + " calls its DN is in");
		}
	}

	@Override
	public String callerId() {
		return caller().id();
	}

	private static ApiPrincipal caller() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication != null && authentication.getPrincipal() instanceof ApiPrincipal principal) {
			return principal;
		}
		// The filter chain lets no unauthenticated request reach call control.
		throw new ErrorResponseException(HttpStatus.FORBIDDEN,
				Problems.forStatus(HttpStatus.FORBIDDEN, "Not authenticated"), null);
	}

}
