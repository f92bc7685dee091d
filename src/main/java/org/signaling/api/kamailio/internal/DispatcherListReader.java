package org.signaling.api.kamailio.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.signaling.api.genesys.ProbeTarget;
import tools.jackson.databind.JsonNode;

/**
 * Reads the result of {@code dispatcher.list}:
 * {@code {NRSETS, RECORDS:[{SET:{ID, TARGETS:[{DEST:{URI, FLAGS, ...}}]}}]}}.
 */
final class DispatcherListReader {

	Map<Integer, List<ProbeTarget>> read(JsonNode result) {
		Map<Integer, List<ProbeTarget>> sets = new LinkedHashMap<>();
		JsonNode records = result.path("RECORDS");
		if (!records.isArray()) {
			// Kamailio leaves RECORDS out when no set is loaded.
			return sets;
		}
		for (JsonNode record : records) {
			JsonNode set = record.path("SET");
			if (!set.path("ID").isNumber()) {
				continue;
			}
			List<ProbeTarget> targets = new ArrayList<>();
			for (JsonNode target : set.path("TARGETS")) {
				JsonNode dest = target.path("DEST");
				String uri = dest.path("URI").asString("");
				if (!uri.isEmpty()) {
					// Configured, not sent by a SIP peer; bounded all the same before it reaches status answers.
					targets.add(new ProbeTarget(SipValues.uri(uri), SipValues.uri(dest.path("FLAGS").asString(""))));
				}
			}
			sets.put(set.path("ID").asInt(), List.copyOf(targets));
		}
		return sets;
	}

}
