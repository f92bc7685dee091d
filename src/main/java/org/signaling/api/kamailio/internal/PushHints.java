package org.signaling.api.kamailio.internal;

import org.signaling.api.kamailio.internal.KamailioStateView.Part;

/** What Kamailio's push events ({@link EvapiListener}) tell the live view ({@link KamailioStateView}). */
interface PushHints {

	/** Something in this part changed: refresh it soon, whole. */
	void refreshSoon(Part part);

	/** The registration of this AoR changed (saved, refreshed, removed or expired); the AoR is a DN. */
	void registrationChanged(String aor);

	/**
	 * The push channel connected or was lost. While it is lost, nothing is pushed, so the view cannot read only what
	 * pushes name.
	 */
	void pushConnected(boolean connected);

}
