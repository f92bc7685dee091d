package org.signaling.api.testsupport;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports on 127.0.0.1 for test processes (Kamailio, SIPp).
 *
 * <p>Ports are drawn at random from a range below the kernel's ephemeral range, so outgoing
 * connections of other processes do not take them between the check and the use, and a port is
 * never handed out twice in the same JVM (so "pick, stop, start again on the same port" works).
 * A port counts as free when both a TCP listener and a UDP socket can bind it (SIP uses both).
 */
public final class FreePorts {

	public static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	private static final int MAX_ATTEMPTS = 500;
	private static final Set<Integer> HANDED_OUT = new HashSet<>();

	private FreePorts() {
	}

	/** A port free for TCP and UDP on 127.0.0.1. */
	public static int tcpAndUdp() {
		return block(1);
	}

	/** Alias of {@link #tcpAndUdp()}, for UDP-only users (SIPp agents, control ports). */
	public static int udp() {
		return block(1);
	}

	/** Alias of {@link #tcpAndUdp()}, for TCP-only users (HTTP, WebSocket). */
	public static int tcp() {
		return block(1);
	}

	/**
	 * The first of {@code count} consecutive free ports (e.g. SIPp's {@code -mp} media port also
	 * binds media+2 for video).
	 */
	public static synchronized int block(int count) {
		if (count < 1 || count > 16) {
			throw new IllegalArgumentException("count must be 1..16: " + count);
		}
		int[] range = searchRange();
		ThreadLocalRandom random = ThreadLocalRandom.current();
		for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
			int base = random.nextInt(range[0], range[1] - count);
			if (allFree(base, count)) {
				for (int p = base; p < base + count; p++) {
					HANDED_OUT.add(p);
				}
				return base;
			}
		}
		throw new IllegalStateException("no " + count + " free consecutive port(s) on 127.0.0.1 in "
				+ range[0] + ".." + range[1] + " after " + MAX_ATTEMPTS + " attempts");
	}

	/**
	 * True when some socket is bound to this UDP port (any address), read from /proc/net/udp*
	 * without binding it, so it cannot disturb a process that is binding it right now. Falls back
	 * to a bind test where /proc is not available.
	 */
	public static boolean isUdpBound(int port) {
		String hexPort = String.format(":%04X", port);
		boolean readAny = false;
		for (String table : new String[] {"/proc/net/udp", "/proc/net/udp6"}) {
			Path file = Path.of(table);
			if (!Files.isReadable(file)) {
				continue;
			}
			try {
				for (String line : Files.readAllLines(file)) {
					String[] fields = line.trim().split("\\s+");
					if (fields.length > 2 && fields[1].endsWith(hexPort)) {
						return true;
					}
				}
				readAny = true;
			} catch (IOException e) {
				// try the next table
			}
		}
		return !readAny && !isUdpFree(port);
	}

	/** True when nothing is bound to this UDP port on 127.0.0.1. */
	public static boolean isUdpFree(int port) {
		try (DatagramSocket socket = new DatagramSocket(null)) {
			socket.setReuseAddress(false);
			socket.bind(new InetSocketAddress(LOOPBACK, port));
			return true;
		} catch (SocketException e) {
			return false;
		}
	}

	/** True when nothing listens on this TCP port on 127.0.0.1. */
	public static boolean isTcpFree(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(LOOPBACK, port), 1);
			return true;
		} catch (IOException e) {
			return false;
		}
	}

	private static boolean allFree(int base, int count) {
		for (int p = base; p < base + count; p++) {
			if (HANDED_OUT.contains(p) || !isTcpFree(p) || !isUdpFree(p)) {
				return false;
			}
		}
		return true;
	}

	/** [low, high) below the ephemeral range (Linux default 32768..60999), above well-known 10000. */
	private static int[] searchRange() {
		int low = 10000;
		int high = 32768;
		try {
			Path file = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
			if (Files.isReadable(file)) {
				String[] parts = Files.readString(file).trim().split("\\s+");
				int ephemeralLow = Integer.parseInt(parts[0]);
				if (ephemeralLow > low + 2000) {
					high = ephemeralLow;
				}
			}
		} catch (IOException | RuntimeException e) {
			// keep the defaults
		}
		return new int[] {low, high};
	}
}
