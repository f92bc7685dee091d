package org.signaling.api.webhooks.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where a delivery is: waiting for a (next) attempt, done, or given up. */
public enum DeliveryStatus {

	PENDING, DELIVERED, DEAD;

	public String jsonName() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static Optional<DeliveryStatus> ofJsonName(String name) {
		return Arrays.stream(values()).filter((status) -> status.jsonName().equals(name)).findFirst();
	}

}
