package org.signaling.api.genesys;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.EventTypes;
import org.signaling.api.shared.ViewRefreshed;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * {@code genesys.up} and {@code genesys.down} when Kamailio's probing of the Genesys SIP Server changes its verdict.
 * The first verdict after start-up is the baseline; "unknown" (no probe yet, Kamailio away) announces nothing.
 */
@Component
class GenesysStatusEvents {

	private final GenesysStatusService genesys;

	private final EventLog events;

	private @Nullable Boolean up;

	GenesysStatusEvents(GenesysStatusService genesys, EventLog events) {
		this.genesys = genesys;
		this.events = events;
	}

	@EventListener
	synchronized void onViewRefreshed(ViewRefreshed refreshed) {
		if (!ViewRefreshed.DISPATCHER.equals(refreshed.part())) {
			return;
		}
		GenesysStatus status = genesys.status().value();
		if ("unknown".equals(status.status())) {
			return;
		}
		boolean isUp = status.isReachable();
		Boolean was = up;
		if (was == null || was == isUp) {
			up = isUp;
			return;
		}
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("connected", status.connected());
		data.put("server", status.server());
		data.put("service", status.service());
		data.put("status", status.status());
		if (status.error() != null) {
			data.put("error", status.error());
		}
		events.append(isUp ? EventTypes.GENESYS_UP : EventTypes.GENESYS_DOWN, "genesys", status.server(), data);
		// Only once it is in the log: a failed append is announced again at the next refresh.
		up = isUp;
	}

}
