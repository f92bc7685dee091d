package org.signaling.api.genesys;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.signaling.api.events.Event;
import org.signaling.api.events.EventLog;
import org.signaling.api.events.EventTypes;
import org.signaling.api.shared.Leadership;
import org.signaling.api.shared.LeadershipChanged;
import org.signaling.api.shared.ViewRefreshed;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code genesys.up} and {@code genesys.down} when Kamailio's probing of the Genesys SIP Server changes its verdict.
 * A leader's duty ({@link Leadership}): each term starts from the server's latest event in the log, so a verdict
 * already announced is not announced again and a server never announced is announced at its first verdict.
 * "unknown" (no probe yet, Kamailio away) announces nothing.
 */
@Component
class GenesysStatusEvents {

	private final GenesysStatusService genesys;

	private final EventLog events;

	private final Leadership leadership;

	private final TransactionTemplate transactions;

	/** The verdict last announced (null: none); read from the log at the first verdict of a term. */
	private @Nullable Boolean up;

	private boolean termStarted;

	GenesysStatusEvents(GenesysStatusService genesys, EventLog events, Leadership leadership,
			TransactionTemplate transactions) {
		this.genesys = genesys;
		this.events = events;
		this.leadership = leadership;
		this.transactions = transactions;
	}

	@EventListener
	void onLeadershipChanged(LeadershipChanged changed) {
		synchronized (this) {
			termStarted = false;
			up = null;
		}
		check();
	}

	@EventListener
	void onViewRefreshed(ViewRefreshed refreshed) {
		if (ViewRefreshed.DISPATCHER.equals(refreshed.part())) {
			check();
		}
	}

	private synchronized void check() {
		if (!leadership.isLeader()) {
			return;
		}
		GenesysStatus status = genesys.status().value();
		if ("unknown".equals(status.status())) {
			return;
		}
		if (!termStarted) {
			Event last = events.latestBySubject("genesys").get(status.server());
			up = (last == null) ? null : EventTypes.GENESYS_UP.equals(last.type());
			termStarted = true;
		}
		boolean isUp = status.isReachable();
		if (up != null && up == isUp) {
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
		transactions.executeWithoutResult((tx) -> {
			leadership.confirm();
			events.append(isUp ? EventTypes.GENESYS_UP : EventTypes.GENESYS_DOWN, "genesys", status.server(), data);
		});
		// Only once it is in the log: a failed append is announced again at the next refresh.
		up = isUp;
	}

}
