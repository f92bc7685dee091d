package org.signaling.api.genesys;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.signaling.api.shared.BackendUnavailableException;
import org.signaling.api.shared.Observed;
import org.signaling.api.shared.PerChange;
import org.signaling.api.shared.ReadyJson;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/** Turns Kamailio's probe results for the Genesys dispatcher set into the Genesys status. */
@Service
public class GenesysStatusService {

	static final String UNREACHABLE = "Genesys server unreachable";

	private final DispatcherView dispatcherView;

	private final GenesysProperties properties;

	private final JsonMapper json;

	private final Clock clock;

	/** Built once per refresh of Kamailio's dispatcher list. */
	private final PerChange<String, Ready> ready = new PerChange<>();

	GenesysStatusService(DispatcherView dispatcherView, GenesysProperties properties, JsonMapper json, Clock clock) {
		this.dispatcherView = dispatcherView;
		this.properties = properties;
		this.json = json;
		this.clock = clock;
	}

	/** The status and its JSON, ready for every request until the dispatcher list changes. */
	Observed<Ready> readyStatus() {
		Observed<Map<Integer, List<ProbeTarget>>> sets;
		try {
			sets = dispatcherView.dispatcherSets();
		}
		catch (BackendUnavailableException ex) {
			// Known now: Kamailio, which probes Genesys for us, cannot be asked.
			GenesysStatus unknown = unknown(ex.getMessage(), List.of());
			return new Observed<>(new Ready(unknown, ReadyJson.of(unknown, json)), clock.instant());
		}
		return sets.map((value) -> ready.get(() -> {
			GenesysStatus status = statusOf(value);
			return new Ready(status, ReadyJson.of(status, json));
		}, value));
	}

	/** A status with its bytes. */
	record Ready(GenesysStatus status, ReadyJson<GenesysStatus> json) {
	}

	/** Never throws for a backend: when Kamailio cannot be asked, the status is "unknown" with the reason. */
	public Observed<GenesysStatus> status() {
		return readyStatus().map(Ready::status);
	}

	private GenesysStatus statusOf(Map<Integer, List<ProbeTarget>> sets) {
		List<ProbeTarget> set = sets.get(properties.dispatcherSet());
		if (set == null || set.isEmpty()) {
			return unknown("Dispatcher set " + properties.dispatcherSet() + " is not configured in Kamailio",
					List.of());
		}
		List<ProbeTarget> relevant = set.stream().filter((target) -> isConfiguredServer(target.uri())).toList();
		if (relevant.isEmpty()) {
			relevant = set;
		}
		List<GenesysStatus.Target> targets = set.stream()
			.map((target) -> new GenesysStatus.Target(target.uri(), target.flags(), stateOf(target)))
			.toList();
		if (relevant.stream().anyMatch(ProbeTarget::isActive)) {
			return new GenesysStatus(true, properties.server(), properties.service(), "active", null, targets);
		}
		if (relevant.stream().anyMatch(ProbeTarget::isTrying)) {
			return new GenesysStatus(true, properties.server(), properties.service(), "trying", null, targets);
		}
		if (relevant.stream().allMatch(ProbeTarget::isUnprobed)) {
			return unknown("Genesys server not probed yet", targets);
		}
		if (relevant.stream().allMatch(ProbeTarget::isDisabled)) {
			return new GenesysStatus(false, properties.server(), properties.service(), "disabled",
					"Genesys server disabled in Kamailio", targets);
		}
		return new GenesysStatus(false, properties.server(), properties.service(), "unreachable", UNREACHABLE, targets);
	}

	private GenesysStatus unknown(String reason, List<GenesysStatus.Target> targets) {
		return new GenesysStatus(false, properties.server(), properties.service(), "unknown", reason, targets);
	}

	private static String stateOf(ProbeTarget target) {
		if (target.isUnprobed()) {
			return "unknown";
		}
		if (target.isActive()) {
			return "active";
		}
		if (target.isTrying()) {
			return "trying";
		}
		return target.isDisabled() ? "disabled" : "unreachable";
	}

	/** Compares host:port, ignoring scheme, user, parameters and case; a URI without port means 5060. */
	private boolean isConfiguredServer(String uri) {
		return hostPort(uri).equals(hostPort(properties.server()));
	}

	static String hostPort(String uriOrHostPort) {
		String s = uriOrHostPort.toLowerCase(Locale.ROOT);
		s = s.replaceFirst("^sips?:", "");
		int at = s.indexOf('@');
		if (at >= 0) {
			s = s.substring(at + 1);
		}
		int params = s.indexOf(';');
		if (params >= 0) {
			s = s.substring(0, params);
		}
		boolean hasPort = s.startsWith("[") ? s.contains("]:") : s.contains(":");
		return hasPort ? s : s + ":5060";
	}

}
