package org.signaling.client;

import java.util.Map;

/**
 * {@code GET /api/genesys/status}. The service answers 503 with these same fields and {@code connected} false while
 * Genesys is unreachable; the client returns that as a value (an answer about Genesys), with {@code error} set.
 */
public record GenesysStatus(boolean connected, String server, String service, String status, String error,
		Map<String, Object> json) {

	static GenesysStatus from(Map<String, Object> json) {
		return new GenesysStatus(Fields.bool(json, "connected"), Fields.str(json, "server"),
				Fields.str(json, "service"), Fields.str(json, "status"), Fields.str(json, "error"), json);
	}

}
