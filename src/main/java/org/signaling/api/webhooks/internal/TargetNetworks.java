package org.signaling.api.webhooks.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.hc.core5.net.InetAddressUtils;
import org.jspecify.annotations.Nullable;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * The addresses a webhook may connect to: every address that is reachable on the public Internet, and those of
 * {@code signaling.webhooks.allowed-networks}. Everything else (this host, the service's own networks, its cloud's
 * metadata service) is refused, so that a subscription cannot turn the delivery log into a scanner of the internal
 * network.
 *
 * <p>
 * Refused are the IANA special-purpose blocks that are not globally reachable, plus multicast and the reserved
 * class E: see {@link #NON_PUBLIC}. IPv4 inside IPv6 is judged by its IPv4 address: the JDK already turns mapped
 * addresses ({@code ::ffff:127.0.0.1}) into IPv4, the deprecated compatible form {@code ::a.b.c.d} is refused as a
 * whole, and NAT64 ({@code 64:ff9b::/96}) and 6to4 ({@code 2002::/16}) addresses are refused when the IPv4 address
 * they carry is.
 */
public final class TargetNetworks {

	/**
	 * Refused unless allowed. CGNAT (100.64/10) is in: providers use it inside their networks, Alibaba Cloud's
	 * metadata service among them. So are the documentation and benchmarking blocks, which no real subscriber uses.
	 */
	static final List<String> NON_PUBLIC = List.of(
			// IPv4
			"0.0.0.0/8", // "this network", 0.0.0.0 included
			"10.0.0.0/8", // private
			"100.64.0.0/10", // shared address space (CGNAT)
			"127.0.0.0/8", // loopback
			"169.254.0.0/16", // link-local, cloud metadata services (169.254.169.254)
			"172.16.0.0/12", // private
			"192.0.0.0/24", // IETF protocol assignments
			"192.0.2.0/24", // documentation
			"192.168.0.0/16", // private
			"198.18.0.0/15", // benchmarking
			"198.51.100.0/24", // documentation
			"203.0.113.0/24", // documentation
			"224.0.0.0/4", // multicast
			"240.0.0.0/4", // reserved, 255.255.255.255 (broadcast) included
			// IPv6
			"::/96", // unspecified (::), loopback (::1) and the deprecated IPv4-compatible addresses
			"64:ff9b:1::/48", // local-use NAT64
			"100::/64", // discard-only
			"2001::/23", // IETF protocol assignments, Teredo included
			"2001:db8::/32", // documentation
			"fc00::/7", // unique local
			"fe80::/10", // link-local
			"fec0::/10", // site-local (deprecated)
			"ff00::/8"); // multicast

	private static final List<IpAddressMatcher> REFUSED = NON_PUBLIC.stream().map(IpAddressMatcher::new).toList();

	// Not InetAddressUtils.isIPv4, which refuses a first byte of 0: 0.0.0.0/0 is how an operator lets everything in.
	private static final Pattern DOTTED_QUAD = Pattern
		.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

	private static final IpAddressMatcher NAT64 = new IpAddressMatcher("64:ff9b::/96");

	private static final IpAddressMatcher SIX_TO_FOUR = new IpAddressMatcher("2002::/16");

	private final List<IpAddressMatcher> allowed;

	/**
	 * @param allowedNetworks addresses or CIDR blocks let through although they are not public; each must pass
	 * {@link #isValidNetwork(String)}
	 */
	public TargetNetworks(List<String> allowedNetworks) {
		this.allowed = allowedNetworks.stream().map(IpAddressMatcher::new).toList();
	}

	/**
	 * Whether a webhook may connect to this address.
	 */
	public boolean permits(InetAddress address) {
		String text = withoutScope(address).getHostAddress();
		if (allowed.stream().anyMatch((network) -> network.matches(text))) {
			return true;
		}
		if (REFUSED.stream().anyMatch((network) -> network.matches(text))) {
			return false;
		}
		InetAddress carried = carriedIpv4(address);
		return carried == null || permits(carried);
	}

	/**
	 * An IP address, or one with a prefix length ({@code 10.20.0.0/16}, {@code fd00:20::/32}). Checked before
	 * {@link IpAddressMatcher} sees it: that one would look up anything short enough to pass for an IPv4 address
	 * ({@code "lab"}) in DNS.
	 */
	public static boolean isValidNetwork(String network) {
		int slash = network.indexOf('/');
		String address = (slash >= 0) ? network.substring(0, slash) : network;
		String prefix = (slash >= 0) ? network.substring(slash + 1) : null;
		if (!DOTTED_QUAD.matcher(address).matches() && !InetAddressUtils.isIPv6(address)) {
			return false;
		}
		if (prefix != null && !prefix.matches("[0-9]{1,3}")) {
			return false;
		}
		try {
			new IpAddressMatcher(network);
			return true;
		}
		catch (IllegalArgumentException ex) {
			return false; // a prefix longer than the address
		}
	}

	// The scope (fe80::1%eth0) names an interface of this host; the matcher would try to resolve it.
	private static InetAddress withoutScope(InetAddress address) {
		try {
			return InetAddress.getByAddress(address.getAddress());
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("an address of 4 or 16 bytes", ex);
		}
	}

	// Guava's InetAddresses.getEmbeddedIPv4ClientAddress does this (and Teredo), but Guava is no dependency of ours:
	// Teredo is refused as a whole (2001::/23), and the two prefixes left are a few lines.
	private static @Nullable InetAddress carriedIpv4(InetAddress address) {
		if (!(address instanceof Inet6Address)) {
			return null;
		}
		byte[] bytes = address.getAddress();
		String text = withoutScope(address).getHostAddress();
		if (NAT64.matches(text)) {
			return ipv4(Arrays.copyOfRange(bytes, 12, 16));
		}
		if (SIX_TO_FOUR.matches(text)) {
			return ipv4(Arrays.copyOfRange(bytes, 2, 6));
		}
		return null;
	}

	private static InetAddress ipv4(byte[] bytes) {
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("4 bytes", ex);
		}
	}

}
