package org.signaling.api.webhooks.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns a host name (or an IP literal) into its addresses: the system resolver in production, a scripted one in
 * tests that need a name to resolve differently at different times (DNS rebinding).
 */
@FunctionalInterface
public interface HostLookup {

	/** The JDK's resolver (the operating system's, for names). */
	HostLookup SYSTEM = InetAddress::getAllByName;

	/**
	 * @param host a name or an IP literal, IPv6 without brackets
	 * @throws UnknownHostException when the host has no address
	 */
	InetAddress[] lookup(String host) throws UnknownHostException;

}
