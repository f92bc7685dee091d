package org.signaling.api.kamailio.internal;

import org.signaling.api.call.ActiveCalls;

/**
 * The dlg.list answers of click-to-dial calls (dlg.bridge_dlg) captured from Kamailio 5.6.3 with SIPp phones
 * ({@code src/test/resources/kamailio/bridge/}), read as the live view reads them, for tests outside this package.
 */
public final class BridgeFixtures {

	private BridgeFixtures() {
	}

	/** {@code name} under {@code kamailio/}, e.g. "bridge/dlg.list-bridge-1-controller-inviting.json". */
	public static ActiveCalls dialogs(String name) {
		return new DialogListReader().read(KamailioFixtures.result(name));
	}

}
