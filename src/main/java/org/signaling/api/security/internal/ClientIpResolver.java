package org.signaling.api.security.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * The client's IP address, as rate limits and security events see it. {@code X-Forwarded-For} is believed only when
 * the direct peer is a trusted proxy ({@code signaling.security.trusted-proxies}); it is then walked from the right,
 * past trusted proxies, to the first address that is not one. A malformed entry is never used, and ends the walk:
 * everything to its left was written by a party that is no longer trusted, so the client is the last trusted hop.
 * Any other peer is the client itself, whatever headers it sends.
 * <p>
 * Only IP literals are read (dotted-quad IPv4, IPv6 text forms); nothing is ever resolved through DNS. Addresses come
 * back in one canonical form (IPv4 dotted quad, IPv6 as RFC 5952: lowercase, zeros compressed; IPv4-mapped IPv6 as
 * IPv4), so one client is one key however its address was written.
 */
public final class ClientIpResolver {

	static final String X_FORWARDED_FOR = "X-Forwarded-For";

	/** More proxies than this in one chain is not a real deployment; the walk stops at the last trusted hop. */
	private static final int MAX_HOPS = 20;

	private static final int MAX_LITERAL_LENGTH = 64;

	private final List<Range> trustedProxies;

	/**
	 * @param trustedProxies IPv4 or IPv6 addresses and CIDR ranges ({@code 10.0.0.0/8}, {@code 2001:db8::/32})
	 * @throws IllegalArgumentException for an entry that is not one, a range with host bits set, or a {@code /0}
	 */
	public ClientIpResolver(List<String> trustedProxies) {
		List<Range> ranges = new ArrayList<>();
		for (String entry : trustedProxies) {
			ranges.add(Range.parse(entry, "signaling.security.trusted-proxies",
					"it trusts every address, which would let any client choose its IP through X-Forwarded-For"));
		}
		this.trustedProxies = List.copyOf(ranges);
	}

	/** The client's address in canonical form; the peer's address as the container gives it if that is no literal. */
	public String clientIp(HttpServletRequest request) {
		String remote = request.getRemoteAddr();
		byte[] peer = (remote != null) ? parsePeer(remote) : null;
		if (peer == null) {
			return (remote == null || remote.isEmpty()) ? "unknown" : remote;
		}
		if (!isTrusted(peer)) {
			return format(peer);
		}
		byte[] client = peer;
		List<String> hops = forwardedFor(request);
		int walked = 0;
		for (int i = hops.size() - 1; i >= 0 && walked < MAX_HOPS; i--, walked++) {
			byte[] hop = parseForwarded(hops.get(i));
			if (hop == null) {
				break;
			}
			client = hop;
			if (!isTrusted(hop)) {
				break;
			}
		}
		return format(client);
	}

	/**
	 * Whether an address, as {@link #clientIp} gives it, lies in one of the ranges; false for anything that is not an
	 * IP literal.
	 */
	static boolean isWithin(String clientIp, List<Range> ranges) {
		byte[] address = parseLiteral(clientIp);
		if (address == null) {
			return false;
		}
		for (Range range : ranges) {
			if (range.contains(address)) {
				return true;
			}
		}
		return false;
	}

	private boolean isTrusted(byte[] address) {
		for (Range range : trustedProxies) {
			if (range.contains(address)) {
				return true;
			}
		}
		return false;
	}

	/** Every entry of every {@code X-Forwarded-For} line, left to right. */
	private static List<String> forwardedFor(HttpServletRequest request) {
		List<String> entries = new ArrayList<>();
		for (String line : Collections.list(request.getHeaders(X_FORWARDED_FOR))) {
			for (String entry : line.split(",", -1)) {
				entries.add(entry.trim());
			}
		}
		return entries;
	}

	/** The container's peer address; a link-local zone ({@code fe80::1%eth0}) is dropped. */
	private static byte @Nullable [] parsePeer(String remote) {
		int zone = remote.indexOf('%');
		return parseLiteral((zone >= 0) ? remote.substring(0, zone) : remote);
	}

	/**
	 * One {@code X-Forwarded-For} entry: an address, {@code [IPv6]}, {@code [IPv6]:port} or {@code IPv4:port} (what
	 * some proxies write); null for anything else ({@code unknown}, host names, zones, junk).
	 */
	static byte @Nullable [] parseForwarded(String entry) {
		if (entry.isEmpty() || entry.length() > MAX_LITERAL_LENGTH) {
			return null;
		}
		if (entry.charAt(0) == '[') {
			int close = entry.indexOf(']');
			if (close < 0 || !isPortSuffix(entry.substring(close + 1), true)) {
				return null;
			}
			String inner = entry.substring(1, close);
			return (inner.indexOf(':') >= 0) ? parseLiteral(inner) : null;
		}
		int colon = entry.indexOf(':');
		if (colon >= 0 && colon == entry.lastIndexOf(':')) {
			return isPortSuffix(entry.substring(colon), false) ? parseIpv4(entry.substring(0, colon)) : null;
		}
		return parseLiteral(entry);
	}

	private static boolean isPortSuffix(String suffix, boolean optional) {
		if (suffix.isEmpty()) {
			return optional;
		}
		if (suffix.charAt(0) != ':' || suffix.length() < 2 || suffix.length() > 6) {
			return false;
		}
		for (int i = 1; i < suffix.length(); i++) {
			if (!isDigit(suffix.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * An IPv4 or IPv6 literal, without any name resolution: 4 bytes for IPv4 (and for IPv4-mapped IPv6), 16 for IPv6;
	 * null if the text is not one. IPv4 must be four decimal parts without leading zeros (no octal or short forms).
	 */
	static byte @Nullable [] parseLiteral(String text) {
		byte[] address = parseRaw(text);
		return (address != null) ? unmapIpv4(address) : null;
	}

	private static byte @Nullable [] parseRaw(String text) {
		if (text.isEmpty() || text.length() > MAX_LITERAL_LENGTH) {
			return null;
		}
		return (text.indexOf(':') >= 0) ? parseIpv6(text) : parseIpv4(text);
	}

	private static byte @Nullable [] parseIpv4(String text) {
		String[] parts = text.split("\\.", -1);
		if (parts.length != 4) {
			return null;
		}
		byte[] address = new byte[4];
		for (int i = 0; i < 4; i++) {
			String part = parts[i];
			if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
				return null;
			}
			int value = 0;
			for (int j = 0; j < part.length(); j++) {
				char c = part.charAt(j);
				if (!isDigit(c)) {
					return null;
				}
				value = value * 10 + (c - '0');
			}
			if (value > 255) {
				return null;
			}
			address[i] = (byte) value;
		}
		return address;
	}

	private static byte @Nullable [] parseIpv6(String text) {
		int compressed = text.indexOf("::");
		if (compressed >= 0 && text.indexOf("::", compressed + 1) >= 0) {
			return null;
		}
		List<Integer> head = new ArrayList<>();
		List<Integer> tail = new ArrayList<>();
		if (compressed < 0) {
			if (!parseGroups(text, true, head)) {
				return null;
			}
		}
		else if (!parseGroups(text.substring(0, compressed), false, head)
				|| !parseGroups(text.substring(compressed + 2), true, tail)) {
			return null;
		}
		int groups = head.size() + tail.size();
		if ((compressed < 0) ? groups != 8 : groups > 7) {
			return null;
		}
		byte[] address = new byte[16];
		for (int i = 0; i < head.size(); i++) {
			putGroup(address, i, head.get(i));
		}
		for (int i = 0; i < tail.size(); i++) {
			putGroup(address, 8 - tail.size() + i, tail.get(i));
		}
		return address;
	}

	/** Colon-separated groups of 1-4 hex digits; the last may be a dotted quad (two groups) if allowed. */
	private static boolean parseGroups(String text, boolean ipv4Last, List<Integer> groups) {
		if (text.isEmpty()) {
			return true;
		}
		String[] parts = text.split(":", -1);
		for (int i = 0; i < parts.length; i++) {
			String part = parts[i];
			if (ipv4Last && i == parts.length - 1 && part.indexOf('.') >= 0) {
				byte[] ipv4 = parseIpv4(part);
				if (ipv4 == null) {
					return false;
				}
				groups.add(((ipv4[0] & 0xff) << 8) | (ipv4[1] & 0xff));
				groups.add(((ipv4[2] & 0xff) << 8) | (ipv4[3] & 0xff));
				continue;
			}
			if (part.isEmpty() || part.length() > 4) {
				return false;
			}
			int value = 0;
			for (int j = 0; j < part.length(); j++) {
				int digit = hexDigit(part.charAt(j));
				if (digit < 0) {
					return false;
				}
				value = (value << 4) | digit;
			}
			groups.add(value);
		}
		return true;
	}

	private static void putGroup(byte[] address, int index, int value) {
		address[index * 2] = (byte) (value >>> 8);
		address[index * 2 + 1] = (byte) value;
	}

	private static byte[] unmapIpv4(byte[] address) {
		if (address.length != 16 || !isIpv4Mapped(address)) {
			return address;
		}
		return new byte[] { address[12], address[13], address[14], address[15] };
	}

	private static boolean isIpv4Mapped(byte[] address) {
		for (int i = 0; i < 10; i++) {
			if (address[i] != 0) {
				return false;
			}
		}
		return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	private static int hexDigit(char c) {
		if (isDigit(c)) {
			return c - '0';
		}
		if (c >= 'a' && c <= 'f') {
			return c - 'a' + 10;
		}
		return (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
	}

	/** IPv4 as a dotted quad, IPv6 as RFC 5952 text (lowercase, no leading zeros, the longest zero run as ::). */
	static String format(byte[] address) {
		StringBuilder text = new StringBuilder(39);
		if (address.length == 4) {
			for (int i = 0; i < 4; i++) {
				text.append((i > 0) ? "." : "").append(address[i] & 0xff);
			}
			return text.toString();
		}
		int[] groups = new int[8];
		for (int i = 0; i < 8; i++) {
			groups[i] = ((address[i * 2] & 0xff) << 8) | (address[i * 2 + 1] & 0xff);
		}
		int bestStart = -1;
		int bestLength = 1;
		for (int i = 0; i < 8;) {
			int j = i;
			while (j < 8 && groups[j] == 0) {
				j++;
			}
			if (j - i > bestLength) {
				bestStart = i;
				bestLength = j - i;
			}
			i = (j > i) ? j : i + 1;
		}
		for (int i = 0; i < 8; i++) {
			if (i == bestStart) {
				text.append("::");
				i += bestLength - 1;
				continue;
			}
			if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
				text.append(':');
			}
			text.append(Integer.toHexString(groups[i]));
		}
		return text.toString();
	}

	/** An address or CIDR range of a property: a trusted proxy, a health-probe network. */
	static final class Range {

		private final byte[] network;

		private final int prefix;

		private Range(byte[] network, int prefix) {
			this.network = network;
			this.prefix = prefix;
		}

		/**
		 * @param property the property it comes from, named in the error
		 * @param whyNotEveryAddress what a {@code /0} range would do, said when refusing one
		 * @throws IllegalArgumentException for an entry that is not an address or range, has host bits set, or is
		 * {@code /0}
		 */
		static Range parse(@Nullable String entry, String property, String whyNotEveryAddress) {
			if (entry == null || entry.isBlank()) {
				throw invalid(property, String.valueOf(entry), "it is blank");
			}
			String text = entry.trim();
			int slash = text.indexOf('/');
			String addressText = (slash >= 0) ? text.substring(0, slash) : text;
			byte[] address = parseRaw(addressText);
			if (address == null) {
				throw invalid(property, entry, "it is not an IPv4 or IPv6 address or CIDR range (host names are not "
						+ "accepted: they would need DNS)");
			}
			int bits = address.length * 8;
			int prefix = bits;
			if (slash >= 0) {
				String prefixText = text.substring(slash + 1);
				if (prefixText.isEmpty() || prefixText.length() > 3
						|| !prefixText.chars().allMatch((c) -> isDigit((char) c))) {
					throw invalid(property, entry, "the prefix length after / must be a number");
				}
				prefix = Integer.parseInt(prefixText);
				if (prefix > bits) {
					throw invalid(property, entry, "the prefix length must be at most " + bits);
				}
				if (prefix == 0) {
					throw invalid(property, entry, whyNotEveryAddress);
				}
			}
			if (isIpv4Mapped(address) && prefix >= 96) {
				address = unmapIpv4(address);
				prefix -= 96;
			}
			Range range = new Range(address, prefix);
			if (hasHostBits(address, prefix)) {
				throw invalid(property, entry, "it has host bits set; did you mean " + format(range.networkAddress())
						+ "/"
						+ prefix + "?");
			}
			return range;
		}

		boolean contains(byte[] address) {
			if (address.length != network.length) {
				return false;
			}
			int whole = prefix / 8;
			for (int i = 0; i < whole; i++) {
				if (address[i] != network[i]) {
					return false;
				}
			}
			int rest = prefix % 8;
			if (rest == 0) {
				return true;
			}
			int mask = (0xff << (8 - rest)) & 0xff;
			return (address[whole] & mask) == (network[whole] & mask);
		}

		private byte[] networkAddress() {
			byte[] masked = network.clone();
			for (int bit = prefix; bit < masked.length * 8; bit++) {
				masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
			}
			return masked;
		}

		private static boolean hasHostBits(byte[] address, int prefix) {
			for (int bit = prefix; bit < address.length * 8; bit++) {
				if ((address[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
					return true;
				}
			}
			return false;
		}

		private static IllegalArgumentException invalid(String property, String entry, String reason) {
			return new IllegalArgumentException(property + ": '" + entry + "' is not usable: " + reason);
		}

	}

}
