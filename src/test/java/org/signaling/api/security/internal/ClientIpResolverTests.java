package org.signaling.api.security.internal;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ClientIpResolverTests {

	private final ClientIpResolver resolver = new ClientIpResolver(
			List.of("10.0.0.0/8", "192.168.1.7", "2001:db8:1::/48"));

	@Test
	void untrustedPeerIsTheClient() {
		assertThat(resolver.clientIp(request("203.0.113.9"))).isEqualTo("203.0.113.9");
	}

	@Test
	void spoofedForwardedForFromUntrustedPeerIsIgnored() {
		assertThat(resolver.clientIp(request("203.0.113.9", "198.51.100.1"))).isEqualTo("203.0.113.9");
		assertThat(resolver.clientIp(request("203.0.113.9", "10.0.0.1"))).isEqualTo("203.0.113.9");
	}

	@Test
	void trustedPeerWithoutForwardedForIsTheClient() {
		assertThat(resolver.clientIp(request("192.168.1.7"))).isEqualTo("192.168.1.7");
	}

	@Test
	void trustedSingleAddressPassesOnTheForwardedClient() {
		assertThat(resolver.clientIp(request("192.168.1.7", "198.51.100.23"))).isEqualTo("198.51.100.23");
	}

	@Test
	void addressJustOutsideTrustedSingleAddressIsNotTrusted() {
		assertThat(resolver.clientIp(request("192.168.1.8", "198.51.100.23"))).isEqualTo("192.168.1.8");
	}

	@Test
	void ipv4CidrRangeIsTrusted() {
		assertThat(resolver.clientIp(request("10.200.3.4", "198.51.100.23"))).isEqualTo("198.51.100.23");
		assertThat(resolver.clientIp(request("11.0.0.1", "198.51.100.23"))).isEqualTo("11.0.0.1");
	}

	@Test
	void ipv6CidrRangeIsTrusted() {
		assertThat(resolver.clientIp(request("2001:db8:1:ffff::1", "2001:db8:99::5"))).isEqualTo("2001:db8:99::5");
		assertThat(resolver.clientIp(request("2001:db8:2::1", "2001:db8:99::5"))).isEqualTo("2001:db8:2::1");
	}

	@Test
	void nonOctetAlignedPrefixesMatchExactly() {
		ClientIpResolver narrow = new ClientIpResolver(List.of("172.16.0.0/12", "2001:db8::/29"));

		assertThat(narrow.clientIp(request("172.31.255.255", "198.51.100.1"))).isEqualTo("198.51.100.1");
		assertThat(narrow.clientIp(request("172.32.0.0", "198.51.100.1"))).isEqualTo("172.32.0.0");
		assertThat(narrow.clientIp(request("2001:dbf:ffff::1", "198.51.100.1"))).isEqualTo("198.51.100.1");
		assertThat(narrow.clientIp(request("2001:dc0::1", "198.51.100.1"))).isEqualTo("2001:dc0::1");
	}

	@Test
	void chainOfTrustedProxiesIsWalkedFromTheRight() {
		// client -> 10.1.1.1 -> 10.2.2.2 -> us; the client's own header claims 6.6.6.6
		MockHttpServletRequest request = request("10.2.2.2", "6.6.6.6, 198.51.100.23, 10.1.1.1");

		assertThat(resolver.clientIp(request)).isEqualTo("198.51.100.23");
	}

	@Test
	void forwardedForOverSeveralHeaderLinesIsOneList() {
		MockHttpServletRequest request = request("10.2.2.2", "6.6.6.6");
		request.addHeader("X-Forwarded-For", "198.51.100.23, 10.1.1.1");

		assertThat(resolver.clientIp(request)).isEqualTo("198.51.100.23");
	}

	@Test
	void onlyTrustedProxiesInTheChainGivesTheFarthestProxy() {
		assertThat(resolver.clientIp(request("10.2.2.2", "10.3.3.3, 10.1.1.1"))).isEqualTo("10.3.3.3");
	}

	@Test
	void malformedEntryIsNeverUsedAndNothingLeftOfItIsBelieved() {
		assertThat(resolver.clientIp(request("10.2.2.2", "6.6.6.6, unknown, 10.1.1.1"))).isEqualTo("10.1.1.1");
		assertThat(resolver.clientIp(request("10.2.2.2", "6.6.6.6, evil.example.com"))).isEqualTo("10.2.2.2");
		assertThat(resolver.clientIp(request("10.2.2.2", ""))).isEqualTo("10.2.2.2");
		assertThat(resolver.clientIp(request("10.2.2.2", "6.6.6.6,"))).isEqualTo("10.2.2.2");
	}

	@ParameterizedTest
	@ValueSource(strings = { "unknown", "localhost", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "0x7f.0.0.1",
			"127.1", "1.2.3.4/8", "1.2.3.-4", "::1::2", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::1",
			"fe80::1%eth0", "[::1", "[1.2.3.4]", "1.2.3.4:", "1.2.3.4:1234567", "g::1", "::ffff:1.2.3",
			":1:2:3:4:5:6:7", "1.2.3.4::", "\u0661.2.3.4", "\uff11::1", " " })
	void malformedForwardedEntriesAreRejected(String entry) {
		assertThat(ClientIpResolver.parseForwarded(entry.trim())).isNull();
		assertThat(resolver.clientIp(request("10.2.2.2", entry))).isEqualTo("10.2.2.2");
	}

	@Test
	void forwardedEntriesWithPortsOrBracketsAreRead() {
		assertThat(resolver.clientIp(request("10.2.2.2", "198.51.100.23:4711"))).isEqualTo("198.51.100.23");
		assertThat(resolver.clientIp(request("10.2.2.2", "[2001:DB8:99::5]"))).isEqualTo("2001:db8:99::5");
		assertThat(resolver.clientIp(request("10.2.2.2", "[2001:db8:99::5]:443"))).isEqualTo("2001:db8:99::5");
	}

	@Test
	void addressesComeBackInOneCanonicalForm() {
		assertThat(resolver.clientIp(request("2001:0DB8:0000:0000:0000:0000:0000:0001"))).isEqualTo("2001:db8::1");
		assertThat(resolver.clientIp(request("0:0:0:0:0:0:0:1"))).isEqualTo("::1");
		assertThat(resolver.clientIp(request("2001:db8:0:1:0:0:0:1"))).isEqualTo("2001:db8:0:1::1");
		assertThat(resolver.clientIp(request("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
		assertThat(resolver.clientIp(request("1:0:2:0:3:0:4:0"))).isEqualTo("1:0:2:0:3:0:4:0");
		assertThat(resolver.clientIp(request("fe80::1%eth0"))).isEqualTo("fe80::1");
	}

	@Test
	void ipv4MappedIpv6IsTheIpv4Address() {
		assertThat(resolver.clientIp(request("::ffff:203.0.113.9"))).isEqualTo("203.0.113.9");
		assertThat(resolver.clientIp(request("::ffff:10.2.2.2", "198.51.100.23"))).isEqualTo("198.51.100.23");
		assertThat(resolver.clientIp(request("10.2.2.2", "::ffff:c633:6417"))).isEqualTo("198.51.100.23");
	}

	@Test
	void peerThatIsNoLiteralIsReturnedAsTheContainerGaveIt() {
		assertThat(resolver.clientIp(request("not-an-ip", "198.51.100.23"))).isEqualTo("not-an-ip");
	}

	@Test
	void longChainStopsAtTheLastTrustedHopExamined() {
		StringBuilder chain = new StringBuilder("198.51.100.23");
		for (int i = 0; i < 50; i++) {
			chain.append(", 10.0.0.").append(i + 1);
		}

		assertThat(resolver.clientIp(request("10.2.2.2", chain.toString()))).startsWith("10.0.0.");
	}

	@Test
	void noTrustedProxiesMeansForwardedForIsNeverRead() {
		ClientIpResolver none = new ClientIpResolver(List.of());

		assertThat(none.clientIp(request("10.2.2.2", "198.51.100.23"))).isEqualTo("10.2.2.2");
	}

	@ParameterizedTest
	@ValueSource(strings = { "proxy.internal", "10.0.0.0/33", "2001:db8::/129", "10.0.0.1/8", "10.0.0.0/", "10.0.0.0/x",
			"10.0.0.0/8/9", "0.0.0.0/0", "::/0", "", "  ", "fe80::1%eth0", "10.0.0.0/-1" })
	void badTrustedProxyEntryFailsAtConstruction(String entry) {
		assertThatIllegalArgumentException().isThrownBy(() -> new ClientIpResolver(List.of(entry)))
			.withMessageStartingWith("signaling.security.trusted-proxies: '");
	}

	@Test
	void hostBitsMessageSuggestsTheNetwork() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ClientIpResolver(List.of("10.0.0.1/8")))
			.withMessageContaining("did you mean 10.0.0.0/8?");
	}

	@Test
	void ipv4MappedRangeTrustsTheIpv4Addresses() {
		ClientIpResolver mapped = new ClientIpResolver(List.of("::ffff:10.0.0.0/104"));

		assertThat(mapped.clientIp(request("10.9.9.9", "198.51.100.23"))).isEqualTo("198.51.100.23");
	}

	private static MockHttpServletRequest request(String remoteAddr, String... forwardedFor) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/dn/list");
		request.setRemoteAddr(remoteAddr);
		for (String value : forwardedFor) {
			request.addHeader("X-Forwarded-For", value);
		}
		return request;
	}

}
