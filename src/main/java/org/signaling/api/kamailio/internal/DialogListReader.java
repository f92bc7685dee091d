package org.signaling.api.kamailio.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.signaling.api.call.ActiveCall;
import org.signaling.api.call.ActiveCalls;
import org.signaling.api.call.CallIds;
import org.signaling.api.call.CallState;
import org.signaling.api.call.EndedDialog;
import org.signaling.api.shared.Grammar;
import tools.jackson.databind.JsonNode;

/**
 * Reads the result of {@code dlg.list}: an array of dialogs with {@code h_entry}, {@code h_id}, {@code call-id},
 * {@code from_uri}, {@code to_uri}, {@code state} (1 unconfirmed, 2 early, 3 confirmed without ACK, 4 confirmed,
 * 5 deleted), {@code init_ts}, {@code start_ts} (0 while early) and {@code profiles} ([{"agent":"5001"}]). Every
 * value that a SIP sender wrote (Call-ID, URIs, the users and profile values taken from them) goes through
 * {@link SipValues}; one odd dialog is listed with bounded fields, and a dialog that cannot be read at all is skipped,
 * never the whole list.
 */
final class DialogListReader {

	private static final int DELETED = 5;

	private static final Map<Integer, CallState> STATES = Map.of(1, CallState.TRYING, 2, CallState.RINGING, 3,
			CallState.ANSWERED, 4, CallState.CONFIRMED);

	ActiveCalls read(JsonNode result) {
		if (!result.isArray()) {
			throw KamailioRpcException.protocol("dlg.list", "not an array");
		}
		List<ActiveCall> calls = new ArrayList<>();
		List<EndedDialog> ended = new ArrayList<>();
		for (JsonNode dialog : result) {
			if (!dialog.isObject()) {
				continue;
			}
			ActiveCall call = callOf(dialog);
			if (call != null) {
				calls.add(call);
			}
			else {
				EndedDialog gone = endedOf(dialog);
				if (gone != null) {
					ended.add(gone);
				}
			}
		}
		return new ActiveCalls(calls, ended);
	}

	/**
	 * An ended dialog (state 5) of one of our click-to-dial calls. Its variables are gone by then; the call id is
	 * the To URI's {@code xcid} parameter, taken only in our own format.
	 */
	private static @Nullable EndedDialog endedOf(JsonNode dialog) {
		String callId = dialog.path("call-id").asString("");
		if (dialog.path("state").asInt(0) != DELETED || callId.isEmpty()) {
			return null;
		}
		String toUri = dialog.path("to_uri").asString("");
		String apiCallId = uriParameter(toUri, "xcid");
		if (apiCallId == null || !CallIds.isOurs(apiCallId)) {
			return null;
		}
		return new EndedDialog(SipValues.uri(callId), dialogIdOf(dialog),
				SipValues.dn(userOf(dialog.path("from_uri").asString(""))), SipValues.uri(toUri),
				dialog.path("start_ts").asLong(0) > 0, apiCallId);
	}

	/** A URI parameter's value ("sip:5001@h;xcid=call-1" gives "call-1" for xcid); null when absent. */
	static @Nullable String uriParameter(String uri, String name) {
		String[] parts = uri.split(";");
		for (int i = 1; i < parts.length; i++) {
			int equals = parts[i].indexOf('=');
			if (equals > 0 && parts[i].substring(0, equals).trim().equalsIgnoreCase(name)) {
				return parts[i].substring(equals + 1).trim();
			}
		}
		return null;
	}

	private static @Nullable ActiveCall callOf(JsonNode dialog) {
		// Ended dialogs (state 5) linger a few seconds before Kamailio purges them: not active.
		CallState state = STATES.get(dialog.path("state").asInt(0));
		String callId = dialog.path("call-id").asString("");
		if (state == null || callId.isEmpty()) {
			return null;
		}
		String fromUri = dialog.path("from_uri").asString("");
		String toUri = dialog.path("to_uri").asString("");
		Instant answeredAt = instantOrNull(dialog.path("start_ts").asLong(0));
		Instant createdAt = instantOrNull(dialog.path("init_ts").asLong(0));
		String fromDn = SipValues.dn(userOf(fromUri));
		Set<String> dns = new LinkedHashSet<>();
		addIfDn(dns, fromDn);
		addIfDn(dns, userOf(toUri));
		// The config tags dialogs with the DNs involved (profiles with value): this catches a callee reached by
		// R-URI whose To header names someone else (transfers, Genesys routing).
		for (JsonNode profile : dialog.path("profiles")) {
			if (profile.isObject()) {
				profile.properties().forEach((entry) -> addIfDn(dns, entry.getValue().asString("")));
			}
		}
		String apiCallId = apiCallIdOf(dialog);
		return new ActiveCall((apiCallId != null) ? apiCallId : SipValues.callId(callId), dialogIdOf(dialog),
				SipValues.uri(fromUri), SipValues.uri(toUri), state, (createdAt != null) ? createdAt : Instant.EPOCH,
				answeredAt, fromDn, dns, apiCallId, SipValues.uri(callId), genesysCallUuidOf(dialog));
	}

	private static String dialogIdOf(JsonNode dialog) {
		return dialog.path("h_entry").asLong(0) + ":" + dialog.path("h_id").asLong(0);
	}

	/** Kamailio's own timestamps (seconds); 0 (not yet) and anything beyond the year 9999 read as none. */
	private static @Nullable Instant instantOrNull(long epochSeconds) {
		return (epochSeconds > 0 && epochSeconds < 253_402_300_800L) ? Instant.ofEpochSecond(epochSeconds) : null;
	}

	/**
	 * The API's call id, which the config copies from the INVITE's X-Call-Id header into the dialog variable
	 * {@code call_id}; only an id of our own format is taken.
	 */
	private static @Nullable String apiCallIdOf(JsonNode dialog) {
		for (JsonNode variable : dialog.path("variables")) {
			String value = variable.path("call_id").asString("");
			if (CallIds.isOurs(value)) {
				return value;
			}
		}
		return null;
	}

	/**
	 * The Genesys SIP Server's interaction id, which the config copies from a trusted peer's X-Genesys-CallUUID into
	 * the dialog variable {@code genesys_uuid}; checked again here (the variable is Kamailio's, the value a SIP
	 * sender's), anything else is none.
	 */
	private static @Nullable String genesysCallUuidOf(JsonNode dialog) {
		for (JsonNode variable : dialog.path("variables")) {
			String value = variable.path("genesys_uuid").asString("");
			if (Grammar.isGenesysCallUuid(value)) {
				return value;
			}
		}
		return null;
	}

	/** Only DNs: a user part that is not one (a long number, a hostile string) tags no DN. */
	private static void addIfDn(Set<String> dns, String user) {
		if (!SipValues.dn(user).isEmpty()) {
			dns.add(user);
		}
	}

	/** The user part of a SIP URI: "5001" for "sip:5001@10.0.0.1;transport=udp", "" if none. */
	static String userOf(String uri) {
		int colon = uri.indexOf(':');
		int at = uri.indexOf('@');
		if (colon < 0 || at <= colon + 1) {
			return "";
		}
		String user = uri.substring(colon + 1, at);
		int params = user.indexOf(';');
		return (params >= 0) ? user.substring(0, params) : user;
	}

}
