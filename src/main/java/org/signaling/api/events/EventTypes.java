package org.signaling.api.events;

import java.util.List;

/** The event types, as clients filter and subscribe to them. */
public final class EventTypes {

	public static final String DN_REGISTERED = "dn.registered";

	public static final String DN_UNREGISTERED = "dn.unregistered";

	public static final String DN_AVAILABLE = "dn.available";

	public static final String DN_BUSY = "dn.busy";

	/** A registered DN's contacts stopped answering Kamailio's probes ({@code signaling.dn.unreachable-after}). */
	public static final String DN_UNREACHABLE = "dn.unreachable";

	/** A DN announced unreachable answers again. */
	public static final String DN_REACHABLE = "dn.reachable";

	public static final String CALL_INITIATED = "call.initiated";

	public static final String CALL_RINGING = "call.ringing";

	public static final String CALL_ANSWERED = "call.answered";

	public static final String CALL_ENDED = "call.ended";

	/** A hang-up ended the call, but a party did not answer its BYE in time: it may still be in the call. */
	public static final String CALL_HANGUP_INCOMPLETE = "call.hangup_incomplete";

	public static final String GENESYS_UP = "genesys.up";

	public static final String GENESYS_DOWN = "genesys.down";

	public static final String BACKEND_UP = "backend.up";

	public static final String BACKEND_DOWN = "backend.down";

	public static final List<String> ALL = List.of(DN_REGISTERED, DN_UNREGISTERED, DN_AVAILABLE, DN_BUSY,
			DN_UNREACHABLE, DN_REACHABLE,
			CALL_INITIATED, CALL_RINGING, CALL_ANSWERED, CALL_ENDED, CALL_HANGUP_INCOMPLETE, GENESYS_UP, GENESYS_DOWN,
			BACKEND_UP, BACKEND_DOWN);

	private EventTypes() {
	}

}
