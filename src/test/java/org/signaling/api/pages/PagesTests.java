package org.signaling.api.pages;

import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.signaling.api.call.CallsProperties;
import org.signaling.api.kamailio.KamailioProperties;
import org.signaling.api.testsupport.SecuredSlice;
import org.signaling.api.web.ApiProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages through the application's real filter chain: served without a credential, with their security headers,
 * the softphone's configuration from {@code signaling.pages.*} (and Kamailio's SIP domain), and the API behind them
 * still closed.
 */
@WebMvcTest(PagesController.class)
@Import({ SecuredSlice.class, PagesConfiguration.class, PagesTests.Kamailio.class })
@TestPropertySource(properties = { "signaling.kamailio.rpc-url=http://127.0.0.1:9/RPC",
		"signaling.kamailio.sip-domain=192.168.210.54" })
class PagesTests {

	static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
			+ "media-src 'self'; connect-src 'self' ws://192.168.210.54:8080; object-src 'none'; base-uri 'none'; "
			+ "form-action 'self'; frame-ancestors 'none'";

	@Autowired
	MockMvcTester mvc;

	@Test
	void theDashboardIsServedWithoutACredentialWithItsSecurityHeaders() {
		MvcTestResult result = mvc.get().uri("/").exchange();
		assertThat(result).hasStatusOk()
			.hasContentTypeCompatibleWith(MediaType.TEXT_HTML)
			.hasHeader("Content-Security-Policy", CSP)
			.hasHeader("Referrer-Policy", "no-referrer")
			.hasHeader("X-Content-Type-Options", "nosniff");
		assertThat(result.getResponse().getHeader("Permissions-Policy")).contains("microphone=(self)");
		assertThat(result).bodyText()
			.contains("id=\"api-key\"", "id=\"live\"", "src=\"assets/dashboard.js\"")
			.doesNotContain("<script>", "onclick=");
	}

	@Test
	void theSoftphoneIsServedWithoutACredentialWithItsSecurityHeaders() {
		MvcTestResult result = mvc.get().uri("/agent").exchange();
		assertThat(result).hasStatusOk()
			.hasContentTypeCompatibleWith(MediaType.TEXT_HTML)
			.hasHeader("Content-Security-Policy", CSP)
			.hasHeader("Cache-Control", "no-cache");
		assertThat(result).bodyText()
			.contains("id=\"registration\"", "id=\"call\"", "id=\"token\"", "type=\"password\"",
					"src=\"assets/agent.js\"")
			.doesNotContain("<script>", "onclick=");
	}

	@Test
	void theSoftphonesConfigurationComesFromThePropertiesAndKamailiosDomain() {
		assertThat(mvc.get().uri("/agent/config.json")).hasStatusOk()
			.hasHeader("Content-Security-Policy", CSP)
			.bodyJson()
			.isStrictlyEqualTo("""
					{"websocket_url":"ws://192.168.210.54:8080","sip_domain":"192.168.210.54",
					 "auto_answer_from":["controller"],"ice_servers":[],"register_expires":600,
					 "dtmf_transport":"rfc2833","embed_origins":[],"click_to_dial_ring_timeout":120}""");
	}

	@Test
	void theBundledScriptsAreServedWithoutACredential() {
		MvcTestResult result = mvc.get().uri("/assets/agent.js").exchange();
		assertThat(result).hasStatusOk().hasHeader("Content-Security-Policy", CSP);
		assertThat(result.getResponse().getHeader("Cache-Control")).isEqualTo("no-cache");
		assertThat(mvc.get().uri("/assets/dashboard.js")).hasStatusOk();
	}

	@Test
	void theApiStaysClosedAndHasNoPageHeaders() {
		MvcTestResult result = mvc.get().uri("/api/dn/list").exchange();
		assertThat(result).hasStatus(HttpStatus.UNAUTHORIZED);
		assertThat(result.getResponse().getHeader("Content-Security-Policy")).isNull();
		assertThat(mvc.get().uri("/api/events")).hasStatus(HttpStatus.UNAUTHORIZED);
	}

	@Test
	void onlyGetIsOpen() {
		assertThat(mvc.post().uri("/agent/config.json")).hasStatus(HttpStatus.UNAUTHORIZED);
	}

	/** WWE frames the softphone: the same origins may frame it and hand it the agent's token. */
	@Nested
	@TestPropertySource(properties = "signaling.pages.frame-ancestors=https://wwe.example.com,https://wwe2.example.com:8443")
	class Embedded {

		@Test
		void theFramingOriginsAreTheOnlyOnesTheSoftphoneTakesATokenFrom() {
			assertThat(mvc.get().uri("/agent/config.json")).hasStatusOk()
				.hasHeader("Content-Security-Policy",
						CSP.replace("frame-ancestors 'none'", "frame-ancestors https://wwe.example.com https://wwe2.example.com:8443"))
				.bodyJson()
				.extractingPath("$.embed_origins")
				.isEqualTo(List.of("https://wwe.example.com", "https://wwe2.example.com:8443"));
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ KamailioProperties.class, ApiProperties.class, CallsProperties.class })
	static class Kamailio {

		@Bean
		Clock clock() {
			return Clock.systemUTC();
		}

	}

}
