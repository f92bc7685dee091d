package org.signaling.api.sipauth;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.signaling.api.dn.DnSyntax;
import org.signaling.api.shared.AuditAttributes;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/agent/sip-credentials}: an agent's SIP credentials. Who may ask is the filter chain's rule (an
 * agent token, or {@code calls}); for which DN, the service's. The audit line names the DN and the expiry.
 */
@RestController
class SipCredentialsController {

	private final SipCredentialService service;

	SipCredentialsController(SipCredentialService service) {
		this.service = service;
	}

	// The body is optional: an agent token needs none.
	@PostMapping(path = "/api/agent/sip-credentials", consumes = "application/json", produces = "application/json")
	ResponseEntity<SipCredentials> sipCredentials(
			@RequestBody(required = false) @Nullable SipCredentialsRequest request, HttpServletRequest servletRequest) {
		String requestedDn = (request != null) ? request.dn() : null;
		if (requestedDn != null && DnSyntax.isValid(requestedDn)) {
			// for the audit line of a refusal; only a well-formed DN, so nothing a client sent can forge one
			servletRequest.setAttribute(AuditAttributes.DN, requestedDn);
		}
		SipCredentials issued = service.issue(requestedDn);
		servletRequest.setAttribute(AuditAttributes.DN, issued.dn());
		servletRequest.setAttribute(AuditAttributes.EXPIRES_AT, issued.expiresAt());
		// a password: kept by no cache on the way
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(issued);
	}

}
