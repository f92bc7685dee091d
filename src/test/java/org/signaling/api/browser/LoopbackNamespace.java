package org.signaling.api.browser;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

/**
 * The guard of the browser tests: this JVM, and so every process it starts (the service is in it; Kamailio,
 * ChromeDriver and Chromium are its children), must be in a network namespace whose only usable interface is
 * loopback. Then no packet, WebRTC media included, can leave 127.0.0.1, whatever candidates Chromium would like
 * to gather. Maven's {@code browser} failsafe execution runs the JVM through
 * {@code scripts/lib/java-in-loopback-namespace}; run from anywhere else, the browser tests fail here.
 */
public final class LoopbackNamespace {

	private LoopbackNamespace() {
	}

	/** Every interface that is up is a loopback one, and no interface has an address that is not loopback. */
	public static void assertOnlyLoopback() {
		List<String> offending = offendingInterfaces();
		if (!offending.isEmpty()) {
			throw new AssertionError("The browser tests must run in a network namespace with only loopback "
					+ "(mvn verify runs them through scripts/lib/java-in-loopback-namespace), so that WebRTC media "
					+ "cannot leave 127.0.0.1; this JVM sees " + offending);
		}
	}

	/** Interfaces that are up and not loopback, or that carry a non-loopback address; empty in the namespace. */
	public static List<String> offendingInterfaces() {
		List<String> offending = new ArrayList<>();
		try {
			for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
				List<InetAddress> addresses = nic.inetAddresses().toList();
				boolean foreignAddress = addresses.stream().anyMatch((address) -> !address.isLoopbackAddress());
				if ((nic.isUp() && !nic.isLoopback()) || foreignAddress) {
					offending.add(nic.getName() + (nic.isUp() ? " (up) " : " (down) ") + addresses);
				}
			}
		}
		catch (SocketException ex) {
			throw new IllegalStateException("cannot list the network interfaces", ex);
		}
		return offending;
	}

	/** The interfaces this JVM sees, for reports: {@code lo [/127.0.0.1, /0:0:0:0:0:0:0:1]}. */
	public static List<String> interfaces() {
		try {
			return NetworkInterface.networkInterfaces()
				.map((nic) -> nic.getName() + " " + nic.inetAddresses().toList())
				.toList();
		}
		catch (SocketException ex) {
			throw new IllegalStateException("cannot list the network interfaces", ex);
		}
	}

}
