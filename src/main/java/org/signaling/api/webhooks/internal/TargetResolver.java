package org.signaling.api.webhooks.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

import org.apache.hc.client5.http.DnsResolver;

/**
 * Resolves webhook hosts to the addresses {@link TargetNetworks} permits. It is the HTTP client's resolver, so the
 * check and the connection are one step: the client connects only to an address that passed, whatever the name
 * resolves to by then (DNS rebinding). The API asks it too, when a subscription is made.
 */
public class TargetResolver implements DnsResolver {

	private final HostLookup lookup;

	private final TargetNetworks networks;

	public TargetResolver(HostLookup lookup, TargetNetworks networks) {
		this.lookup = lookup;
		this.networks = networks;
	}

	/**
	 * Whether every address of the host may be connected to (at least one, none refused). Stricter than an attempt,
	 * which uses the permitted addresses of a host that has both: a subscription is refused at once when its host
	 * points inside.
	 */
	public boolean isPermitted(String host) {
		try {
			InetAddress[] addresses = lookup.lookup(withoutBrackets(host));
			return addresses != null && addresses.length > 0 && Arrays.stream(addresses).allMatch(networks::permits);
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	/**
	 * The host's permitted addresses.
	 * @throws BlockedAddressException when it has addresses but none is permitted
	 * @throws UnknownHostException when it has none
	 */
	@Override
	public InetAddress[] resolve(String host) throws UnknownHostException {
		InetAddress[] addresses = lookup.lookup(withoutBrackets(host));
		if (addresses == null || addresses.length == 0) {
			throw new UnknownHostException("No address");
		}
		InetAddress[] permitted = Arrays.stream(addresses).filter(networks::permits).toArray(InetAddress[]::new);
		if (permitted.length == 0) {
			throw new BlockedAddressException();
		}
		return permitted;
	}

	// Overridden because the default answers an unresolved address (resolved again later, unchecked) for null.
	@Override
	public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
		return Arrays.stream(resolve(host)).map((address) -> new InetSocketAddress(address, port)).toList();
	}

	// Only Kerberos/SPNEGO authentication asks for it, which webhooks never use; a reverse lookup would be a second,
	// unchecked DNS answer.
	@Override
	public String resolveCanonicalHostname(String host) {
		return host;
	}

	private static String withoutBrackets(String host) {
		return (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
	}

}
