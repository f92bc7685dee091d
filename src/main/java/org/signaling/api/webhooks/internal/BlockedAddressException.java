package org.signaling.api.webhooks.internal;

import java.net.UnknownHostException;

/**
 * The host resolved, but to no address a webhook may connect to. An {@link UnknownHostException}, so the HTTP
 * client treats it like a name without addresses and never connects.
 */
public class BlockedAddressException extends UnknownHostException {

	BlockedAddressException() {
		super("No address a webhook may connect to");
	}

}
