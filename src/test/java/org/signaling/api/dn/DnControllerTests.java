package org.signaling.api.dn;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.signaling.api.call.CallState;
import org.signaling.api.testsupport.FeatureControllerTest;
import org.signaling.api.testsupport.FeatureSliceTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.signaling.api.testsupport.FeatureTestConfiguration.NOW;

@FeatureSliceTest(DnController.class)
class DnControllerTests extends FeatureControllerTest {

	@Test
	void registeredDnWithoutCallsIsAvailableWithItsSipUri() {
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp");

		assertThat(mvc.get().uri("/api/dn/5001")).hasStatusOk()
			.bodyJson()
			.isLenientlyEqualTo("""
					{"dn":"5001","status":"available","sip_uri":"sip:5001@192.168.210.54","registered":true,
					 "active_call_count":0,
					 "contacts":[{"contact":"sip:5001@10.1.1.5:5060","transport":"udp","user_agent":"SIPp-agent-5001",
					              "expires":3600}]}""");
	}

	@Test
	void registeredDnInACallIsBusy() {
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp")
			.call("c1", "5001", "1003", CallState.CONFIRMED, NOW, NOW);

		assertThat(mvc.get().uri("/api/dn/5001")).hasStatusOk()
			.bodyJson()
			.isLenientlyEqualTo("{\"dn\":\"5001\",\"status\":\"busy\",\"active_call_count\":1}");
	}

	@Test
	void aDnWhoseContactsStopAnsweringIsUnreachableEvenInACall() {
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp")
			.call("c1", "5001", "1003", CallState.CONFIRMED, NOW, NOW)
			.answering("5001", false);

		assertThat(mvc.get().uri("/api/dn/5001")).hasStatusOk()
			.bodyJson()
			.isLenientlyEqualTo("""
					{"dn":"5001","status":"unreachable","registered":true,"reachable":false,"active_call_count":1,
					 "contacts":[{"contact":"sip:5001@10.1.1.5:5060","reachable":false}]}""");
		assertThat(mvc.get().uri("/api/dn/list")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.dns[0]")
			.asMap()
			.containsEntry("dn", "5001")
			.containsEntry("status", "registered")
			.containsEntry("availability", "unreachable")
			.containsEntry("reachable", false);
	}

	@Test
	void ringingCountsAsBusy() {
		kamailio.register("5002", "sip:5002@10.1.1.6:5060", "udp")
			.call("c2", "5001", "5002", CallState.RINGING, NOW, null);

		assertThat(mvc.get().uri("/api/dn/5002")).bodyJson().extractingPath("$.status").isEqualTo("busy");
	}

	@Test
	void directoryDnThatIsNotRegisteredIsOffline() {
		assertThat(mvc.get().uri("/api/dn/5003")).hasStatusOk()
			.bodyJson()
			.isLenientlyEqualTo("""
					{"dn":"5003","status":"offline","sip_uri":"sip:5003@192.168.210.54","registered":false,
					 "active_call_count":0,"contacts":[]}""");
	}

	@Test
	void contactExpiryCountsDownFromTheObservation() {
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp");
		clock.advance(Duration.ofSeconds(100));
		kamailio.observedAt(clock.instant());

		assertThat(mvc.get().uri("/api/dn/5001")).bodyJson().extractingPath("$.contacts[0].expires").isEqualTo(3500);
	}

	@Test
	void unknownDnIs404InTheSeedsErrorShape() {
		assertThat(mvc.get().uri("/api/dn/5999")).hasStatus(HttpStatus.NOT_FOUND)
			.bodyJson()
			.isLenientlyEqualTo("{\"error\":\"DN not found: 5999\"}");
	}

	@ParameterizedTest
	@ValueSource(strings = { "50 01", "5001@evil", "a\"b", "x%0D%0AAction:%20Originate", "%E2%82%AC",
			"12345678901234567890123456789012345678901234567890123456789012345" })
	void malformedDnIs400WithoutEchoingIt(String dn) {
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp");

		var result = mvc.get().uri("/api/dn/" + dn);

		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.extractingPath("$.error")
			.asString()
			// Encoded CR/LF and non-ASCII are refused by the security firewall before the DN is even read.
			.matches("(Invalid DN|Bad request: the URL).*")
			.doesNotContain("Originate");
	}

	@Test
	void sixtyFourCharacterDnIsValid() {
		String dn = "a".repeat(64);

		assertThat(mvc.get().uri("/api/dn/" + dn)).hasStatus(HttpStatus.NOT_FOUND);
	}

	@Test
	void kamailioUnreachableIs503() {
		kamailio.unreachable();

		assertThat(mvc.get().uri("/api/dn/5001")).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.bodyJson()
			.isLenientlyEqualTo("{\"error\":\"Kamailio unreachable\"}");
	}

	@Test
	void responseTellsHowOldItsDataIs() {
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp");
		clock.advance(Duration.ofMillis(750));

		assertThat(mvc.get().uri("/api/dn/5001")).hasHeader("X-State-Age-Ms", "750");
	}

	@Test
	void listIsNeverTakenForADnNamedList() {
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp");

		assertThat(mvc.get().uri("/api/dn/list")).hasStatusOk().bodyJson().extractingPath("$.dns").isNotNull();
	}

	@Test
	void listShowsRegisteredDnsThenOfflineDirectoryDns() {
		kamailio.register("5002", "sip:5002@10.1.1.6:5060", "udp")
			.register("7000", "sip:7000@10.1.1.7:5060", "ws")
			.call("c1", "5002", "1003", CallState.CONFIRMED, NOW, NOW);

		assertThat(mvc.get().uri("/api/dn/list")).hasStatusOk().bodyJson().isLenientlyEqualTo("""
				{"dns":[
				  {"dn":"5002","sip_uri":"sip:5002@192.168.210.54","status":"registered","availability":"busy",
				   "active_call_count":1,"contact_count":1},
				  {"dn":"7000","sip_uri":"sip:7000@192.168.210.54","status":"registered","availability":"available"},
				  {"dn":"5001","status":"offline","availability":"offline"},
				  {"dn":"5003","status":"offline"},
				  {"dn":"5004","status":"offline"},
				  {"dn":"5005","status":"offline"}
				],"count":6}""");
	}

	@Test
	void listIs503WhenKamailioUnreachable() {
		kamailio.unreachable();

		assertThat(mvc.get().uri("/api/dn/list")).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.bodyJson()
			.isLenientlyEqualTo("{\"error\":\"Kamailio unreachable\"}");
	}

	@Test
	void anAnswerCarriesAStrongEtagAndIsRevalidatedEveryTime() {
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp");

		assertThat(mvc.get().uri("/api/dn/list")).hasStatusOk()
			.hasHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
			.headers()
			.hasHeaderSatisfying(HttpHeaders.VARY, (vary) -> assertThat(vary).contains(HttpHeaders.ACCEPT_ENCODING))
			.hasHeaderSatisfying(HttpHeaders.ETAG,
					(etags) -> assertThat(etags.get(0)).matches("\"[A-Za-z0-9_-]{22}\""));
	}

	@Test
	void anUnchangedViewIsA304WithoutBodyThatStillTellsItsAge() {
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp");
		String etag = etagOf("/api/dn/list");
		clock.advance(Duration.ofMillis(400));

		MvcTestResult notModified = mvc.get().uri("/api/dn/list").header(HttpHeaders.IF_NONE_MATCH, etag).exchange();

		assertThat(notModified).hasStatus(HttpStatus.NOT_MODIFIED)
			.hasHeader(HttpHeaders.ETAG, etag)
			.hasHeader("X-State-Age-Ms", "400");
		assertThat(notModified.getResponse().getContentAsByteArray()).isEmpty();
	}

	@Test
	void aChangeOfTheViewIsAFullAnswerWithANewEtag() {
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp");
		String etag = etagOf("/api/dn/5001");

		kamailio.call("c1", "5001", "1003", CallState.CONFIRMED, NOW, NOW);

		MvcTestResult changed = mvc.get().uri("/api/dn/5001").header(HttpHeaders.IF_NONE_MATCH, etag).exchange();
		assertThat(changed).hasStatusOk().bodyJson().extractingPath("$.status").isEqualTo("busy");
		assertThat(changed.getResponse().getHeader(HttpHeaders.ETAG)).isNotEqualTo(etag);
	}

	@Test
	void aClientThatAcceptsGzipGetsTheListCompressed() throws IOException {
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp").register("5002", "sip:5002@10.1.1.6:5060", "udp");
		byte[] plain = mvc.get().uri("/api/dn/list").exchange().getResponse().getContentAsByteArray();

		MvcTestResult gzipped = mvc.get().uri("/api/dn/list").header(HttpHeaders.ACCEPT_ENCODING, "gzip").exchange();

		assertThat(gzipped).hasStatusOk().hasHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
		byte[] sent = gzipped.getResponse().getContentAsByteArray();
		assertThat(sent.length).isLessThan(plain.length);
		try (GZIPInputStream unzipped = new GZIPInputStream(new ByteArrayInputStream(sent))) {
			assertThat(unzipped.readAllBytes()).isEqualTo(plain);
		}
	}

	private String etagOf(String uri) {
		String etag = mvc.get().uri(uri).exchange().getResponse().getHeader(HttpHeaders.ETAG);
		assertThat(etag).isNotBlank();
		return etag;
	}

}
