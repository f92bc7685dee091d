package org.signaling.api.pages;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.signaling.api.call.CallsProperties;
import org.signaling.api.kamailio.KamailioProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /agent/config.json}'s content, where agents register ({@link AgentSipEndpoint}) and the pages' CSP from
 * the properties, without Spring.
 */
class AgentConfigTests {

	static final KamailioProperties KAMAILIO = new KamailioProperties(URI.create("http://127.0.0.1:9/RPC"),
			"10.0.0.54:5060", Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(1),
			Duration.ofSeconds(2),
			"location");

	static final CallsProperties CALLS = new CallsProperties(Duration.ofSeconds(30), Duration.ofSeconds(90),
			Duration.ofHours(24), Duration.ofSeconds(5), Duration.ofSeconds(10), "asterisk", Duration.ofDays(90),
			Duration.ofSeconds(5));

	@Test
	void everyPagesPropertyReachesTheConfiguration() {
		PagesProperties pages = new PagesProperties(URI.create("wss://sip.example.com:7443/ws"), "example.com",
				List.of("controller", "bridge"), List.of("stun:stun.example.com:3478"), 300, "info",
				List.of("https://wwe.example.com", "https://wwe2.example.com:8443"));
		AgentSipEndpoint endpoint = AgentSipEndpoint.of(pages, KAMAILIO);
		AgentConfig config = AgentConfig.of(pages, endpoint, CALLS);
		assertThat(config).isEqualTo(new AgentConfig("wss://sip.example.com:7443/ws", "example.com",
				List.of("controller", "bridge"), List.of(new AgentConfig.IceServer("stun:stun.example.com:3478")), 300,
				"info", List.of("https://wwe.example.com", "https://wwe2.example.com:8443"), 90));
		assertThat(endpoint.websocketOrigin()).isEqualTo("wss://sip.example.com:7443");
	}

	@Test
	void withoutAWebsocketUrlTheSoftphoneUsesKamailiosHostOnPort8080() {
		PagesProperties pages = new PagesProperties(null, null, List.of("controller"), List.of(), 600, "rfc2833",
				List.of());
		AgentSipEndpoint endpoint = AgentSipEndpoint.of(pages, KAMAILIO);
		assertThat(endpoint).isEqualTo(new AgentSipEndpoint("ws://10.0.0.54:8080", "10.0.0.54:5060"));
		AgentConfig config = AgentConfig.of(pages, endpoint, CALLS);
		assertThat(config.websocketUrl()).isEqualTo("ws://10.0.0.54:8080");
		assertThat(config.embedOrigins()).as("no framing, so no host page hands over a token").isEmpty();
	}

	/**
	 * The longest ring time any make request may ask for: the softphone's bound on an announced click-to-dial whose
	 * announcement names no ring time of its own (call.initiated's ring_timeout).
	 */
	@Test
	void anAnnouncedClickToDialMayBeAnsweredForTheLongestRingTimeAtMost() {
		PagesProperties pages = new PagesProperties(null, null, List.of(), List.of(), 600, "rfc2833", List.of());
		assertThat(AgentConfig.of(pages, AgentSipEndpoint.of(pages, KAMAILIO), CALLS).clickToDialRingTimeout())
			.isEqualTo(90);
	}

	@Test
	void hostsOfSipDomains() {
		assertThat(AgentSipEndpoint.hostOf("sip.example.com")).isEqualTo("sip.example.com");
		assertThat(AgentSipEndpoint.hostOf("10.0.0.5:5060")).isEqualTo("10.0.0.5");
		assertThat(AgentSipEndpoint.hostOf("[2001:db8::1]:5060")).isEqualTo("[2001:db8::1]");
		assertThat(AgentSipEndpoint.hostOf("2001:db8::1")).isEqualTo("[2001:db8::1]");
	}

	@Test
	void theCspAllowsOnlyTheServiceTheWebsocketAndTheConfiguredFramers() {
		String csp = PageHeadersFilter.contentSecurityPolicy("wss://sip.example.com:7443",
				List.of("https://wwe.example.com"));
		assertThat(csp).contains("script-src 'self';", "connect-src 'self' wss://sip.example.com:7443;",
				"frame-ancestors https://wwe.example.com")
			.doesNotContain("unsafe");
	}

}
