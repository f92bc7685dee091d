package org.signaling.api.genesys;

/**
 * One destination of a Kamailio dispatcher set.
 *
 * @param uri the destination URI ("sip:192.168.210.81:5060")
 * @param flags Kamailio's two-letter state: first letter A(ctive), I(nactive), T(rying) or D(isabled); second
 * letter P (probing) or X (not probing). "AX" on a probed set means no probe has completed yet.
 */
public record ProbeTarget(String uri, String flags) {

	boolean isActive() {
		return flags.startsWith("A") && !isUnprobed();
	}

	boolean isTrying() {
		return flags.startsWith("T");
	}

	boolean isDisabled() {
		return flags.startsWith("D");
	}

	boolean isUnprobed() {
		return flags.equals("AX");
	}

}
