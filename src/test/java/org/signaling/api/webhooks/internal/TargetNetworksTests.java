package org.signaling.api.webhooks.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which addresses a webhook may connect to, and how host names are turned into them. No test here sends a packet:
 * addresses are IP literals, which the JDK parses itself, and names come from a scripted lookup.
 */
class TargetNetworksTests {

	private final TargetNetworks publicOnly = new TargetNetworks(List.of());

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "127.0.0.1", "127.255.255.254", "::1", // loopback
			"169.254.169.254", "169.254.0.1", "fe80::1", "febf:ffff::1", // link-local, cloud metadata
			"10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.0.1", "192.168.255.255", // private
			"fc00::1", "fd12:3456:789a::1", // unique local
			"0.0.0.0", "0.1.2.3", "::", // unspecified, "this network"
			"224.0.0.1", "239.255.255.250", "ff02::1", "ff0e::1", // multicast
			"100.64.0.1", "100.127.255.254", // CGNAT
			"255.255.255.255", "240.0.0.1", // broadcast, reserved
			"192.0.0.170", "198.18.0.1", "198.19.255.255", "192.0.2.1", "198.51.100.7", "203.0.113.9", // special use
			"2001:db8::1", "2001::1", "100::1", "fec0::1", "64:ff9b:1::1", // special use IPv6
			"::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:169.254.169.254", "::ffff:10.1.2.3", // IPv4-mapped
			"::127.0.0.1", "::10.1.2.3", "::8.8.8.8", // IPv4-compatible (deprecated): refused as a whole
			"64:ff9b::127.0.0.1", "64:ff9b::a01:203", // NAT64 of loopback, of 10.1.2.3
			"2002:7f00:1::", "2002:c0a8:101::1" }) // 6to4 of 127.0.0.1, of 192.168.1.1
	void refusesEveryAddressThatIsNotPublic(String literal) throws Exception {
		assertThat(publicOnly.permits(InetAddress.getByName(literal))).isFalse();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "8.8.8.8", "1.1.1.1", "93.184.215.14", "11.0.0.1", "9.255.255.255", "100.63.255.255",
			"100.128.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255", "192.169.0.0", "169.253.255.255",
			"223.255.255.255", "2606:4700:4700::1111", "2a00:1450:4001:82b::200e", "::ffff:8.8.8.8",
			"64:ff9b::8.8.8.8", "2002:808:808::1" })
	void permitsPublicAddresses(String literal) throws Exception {
		assertThat(publicOnly.permits(InetAddress.getByName(literal))).isTrue();
	}

	@Test
	void aScopedLinkLocalAddressIsRefusedWhateverItsInterface() throws Exception {
		byte[] fe80 = InetAddress.getByName("fe80::1").getAddress();

		assertThat(publicOnly.permits(Inet6Address.getByAddress(null, fe80, 1))).isFalse();
		assertThat(publicOnly.permits(Inet6Address.getByAddress(null, fe80, 7))).isFalse();
	}

	@Test
	void allowedNetworksLetTheirAddressesThroughAndNoOthers() throws Exception {
		TargetNetworks lab = new TargetNetworks(List.of("127.0.0.2/32", "10.20.0.0/16", "fd00:20::/32", "192.168.1.7"));

		for (String allowed : List.of("127.0.0.2", "10.20.0.1", "10.20.255.255", "::ffff:10.20.3.4", "fd00:20::1",
				"fd00:20:ffff::1", "192.168.1.7", "8.8.8.8")) {
			assertThat(lab.permits(InetAddress.getByName(allowed))).as(allowed).isTrue();
		}
		for (String refused : List.of("127.0.0.1", "127.0.0.3", "10.21.0.1", "10.19.255.255", "fd00:21::1",
				"192.168.1.8", "169.254.169.254", "::1")) {
			assertThat(lab.permits(InetAddress.getByName(refused))).as(refused).isFalse();
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "10.0.0.0/8", "127.0.0.0/8", "127.0.0.1", "0.0.0.0/0", "::/0", "100.64.0.0/10", "fd00::/8",
			"::1/128", "::1", "fe80::/10", "2001:db8::/32" })
	void acceptsAddressesAndCidrBlocks(String network) {
		assertThat(TargetNetworks.isValidNetwork(network)).isTrue();
	}

	@ParameterizedTest(name = "\"{0}\"")
	@ValueSource(strings = { "", "lab", "abc", "db1/24", "localhost", "10.0.0.0/33", "fd00::/129", "10.0.0.0/",
			"10.0.0.0/x", "10.0.0.0/-1", "010.0.0.0/8", "10.0.0.0/08x", "10.0.0/8", "10.0.0.0/8/8", "10.0.0.256/24",
			"2130706433", "0x7f.1", "::ffff:10.0.0.0/104", " 10.0.0.0/8", "[fd00::]/8" })
	void refusesAnythingElseWithoutLookingItUp(String network) {
		assertThat(TargetNetworks.isValidNetwork(network)).isFalse();
	}

	@Test
	void aHostIsPermittedAtCreationOnlyWhenEveryAddressIsPublic() {
		TargetResolver resolver = resolver(Map.of("public.example.test", List.of("93.184.215.14", "2606:4700::1"),
				"mixed.example.test", List.of("93.184.215.14", "10.1.2.3"), "internal.example.test",
				List.of("10.1.2.3")));

		assertThat(resolver.isPermitted("public.example.test")).isTrue();
		assertThat(resolver.isPermitted("mixed.example.test")).isFalse();
		assertThat(resolver.isPermitted("internal.example.test")).isFalse();
		assertThat(resolver.isPermitted("nowhere.example.test")).isFalse();
	}

	@Test
	void anAttemptGetsOnlyThePermittedAddressesAndFailsWhenNoneIsLeft() throws Exception {
		TargetResolver resolver = resolver(Map.of("mixed.example.test", List.of("10.1.2.3", "93.184.215.14"),
				"internal.example.test", List.of("10.1.2.3", "::1")));

		assertThat(resolver.resolve("mixed.example.test")).containsExactly(InetAddress.getByName("93.184.215.14"));
		assertThat(resolver.resolve("mixed.example.test", 8443)).singleElement()
			.satisfies((address) -> assertThat(address.getAddress()).isEqualTo(InetAddress.getByName("93.184.215.14")))
			.satisfies((address) -> assertThat(address.getPort()).isEqualTo(8443));
		assertThatThrownBy(() -> resolver.resolve("internal.example.test"))
			.isInstanceOf(BlockedAddressException.class);
		assertThatThrownBy(() -> resolver.resolve("nowhere.example.test")).isInstanceOf(UnknownHostException.class)
			.isNotInstanceOf(BlockedAddressException.class);
	}

	/** Literals in the forms a URL may carry them in; the JDK parses each without DNS. */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "127.0.0.1", "[::1]", "2130706433", "127.1", "0", "[::ffff:127.0.0.1]",
			"[::ffff:7f00:1]", "[::127.0.0.1]", "[::]", "[fe80::1%251]", "169.254.169.254", "[::ffff:a9fe:a9fe]" })
	void internalAddressesAreRefusedWhateverTheirNotation(String host) {
		TargetResolver resolver = new TargetResolver(HostLookup.SYSTEM, publicOnly);

		assertThat(resolver.isPermitted(host)).isFalse();
		assertThatThrownBy(() -> resolver.resolve(host)).isInstanceOf(BlockedAddressException.class);
	}

	@Test
	void localhostIsRefused() {
		// From the hosts file: no DNS query leaves the machine.
		assertThat(new TargetResolver(HostLookup.SYSTEM, publicOnly).isPermitted("localhost")).isFalse();
	}

	private TargetResolver resolver(Map<String, List<String>> names) {
		return new TargetResolver((host) -> {
			List<String> addresses = names.get(host);
			if (addresses == null) {
				throw new UnknownHostException(host);
			}
			InetAddress[] resolved = new InetAddress[addresses.size()];
			for (int i = 0; i < resolved.length; i++) {
				resolved[i] = InetAddress.getByName(addresses.get(i));
			}
			return resolved;
		}, publicOnly);
	}

}
