package org.signaling.api.kamailio.internal;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.signaling.api.call.LegRelease;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A party's leg for a BYE of our own, from real dlg.dlg_list answers, and what is refused: every value in it was
 * written by a SIP sender and becomes a header of a request Kamailio sends.
 */
class DialogLegTests {

	private static final Instant UNTIL = Instant.parse("2026-11-26T07:00:00Z");

	@Test
	void theCalleesLegIsWhatKamailiosOwnByeToTheCalleeCarries() {
		DialogLeg leg = leg(fixture(), LegRelease.CALLEE).orElseThrow();

		assertThat(leg.requestUri()).isEqualTo("sip:5002@127.0.0.1:5092");
		assertThat(leg.nextHop()).isEqualTo(".");
		assertThat(leg.socket()).isEqualTo("udp:127.0.0.1:5060");
		assertThat(leg.tag()).isEqualTo("11835SIPpTag012");
		assertThat(leg.byeHeaders(3)).isEqualTo("From: <sip:5001@127.0.0.1>;tag=11840SIPpTag002\r\n"
				+ "To: <sip:5002@127.0.0.1>;tag=11835SIPpTag012\r\nCall-ID: call-2-11840@127.0.0.1\r\nCSeq: 3 BYE\r\n");
		assertThat(leg.lastCseq()).as("the caller leg's CSeq: Kamailio's BYE to the callee had it plus one")
			.isEqualTo(1);
		assertThat(leg.retryUntil()).isEqualTo(UNTIL);
	}

	@Test
	void theCallersLegGoesTheOtherWay() {
		DialogLeg leg = leg(fixture(), LegRelease.CALLER).orElseThrow();

		assertThat(leg.requestUri()).isEqualTo("sip:5001@127.0.0.1:5091");
		assertThat(leg.byeHeaders(1)).startsWith("From: <sip:5002@127.0.0.1>;tag=11835SIPpTag012\r\n"
				+ "To: <sip:5001@127.0.0.1>;tag=11840SIPpTag002\r\n");
		assertThat(leg.lastCseq()).isZero();
	}

	@Test
	void aWebSocketContactIsReachedThroughItsConnection() {
		String listed = fixture().replace("\"sip:5002@127.0.0.1:5092\"",
				"\"sip:5004@df7jal23ls0d.invalid;transport=ws;alias=127.0.0.1~41234~5\"");

		DialogLeg leg = leg(listed, LegRelease.CALLEE).orElseThrow();

		assertThat(leg.requestUri()).isEqualTo("sip:5004@df7jal23ls0d.invalid;transport=ws");
		assertThat(leg.nextHop()).isEqualTo("sip:127.0.0.1:41234;transport=ws");
	}

	@Test
	void aRouteSetBecomesTheRouteHeaderAndItsFirstHopTheNextHop() {
		String listed = fixture().replaceFirst("(\"callee\":\\s*\\{[^}]*\"route_set\":\\s*)\"\"",
				"$1\"<sip:10.0.0.7;lr>, <sip:10.0.0.8;lr;transport=tcp>\"");

		DialogLeg leg = leg(listed, LegRelease.CALLEE).orElseThrow();

		assertThat(leg.nextHop()).isEqualTo("sip:10.0.0.7;lr");
		assertThat(leg.byeHeaders(2)).contains("Route: <sip:10.0.0.7;lr>, <sip:10.0.0.8;lr;transport=tcp>\r\n");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"contact\":\t\"sip:5002@127.0.0.1:5092\\r\\nX-Injected: 1\"",
			"\"contact\":\t\"sip:5002@127.0.0.1:5092>, <sip:evil@6.6.6.6\"", "\"contact\":\t\"tel:+15551234567\"",
			"\"contact\":\t\"\"", "\"tag\":\t\"11835SIPpTag012\\r\\nVia: x\"", "\"tag\":\t\"a b\"",
			"\"route_set\":\t\"<sip:10.0.0.7;lr>\\r\\nX: 1\"", "\"route_set\":\t\"sip:10.0.0.7;lr\"" })
	void aHostileOrBrokenCalleeValueMeansNoByeOfOursAtAll(String hostile) {
		String name = hostile.substring(0, hostile.indexOf(':'));
		String listed = fixture().replaceFirst("(\"callee\":\\s*\\{[^}]*)" + Pattern.quote(name)
				+ ":\\s*[^,\\n]*", "$1" + Matcher.quoteReplacement(hostile));
		assertThat(listed).as("the fixture was changed").isNotEqualTo(fixture());

		assertThat(leg(listed, LegRelease.CALLEE)).isEmpty();
	}

	@Test
	void aCseqThatIsNotANumberMeansNoByeOfOurs() {
		assertThat(leg(fixture().replace("\"cseq\":\t\"1\"", "\"cseq\":\t\"1 INVITE\""), LegRelease.CALLEE)).isEmpty();
	}

	@Test
	void anOddSocketIsLeftToKamailio() {
		DialogLeg leg = leg(fixture().replace("udp:127.0.0.1:5060", "udp:127.0.0.1:5060\\r\\nX: 1"), LegRelease.CALLEE)
			.orElseThrow();

		assertThat(leg.socket()).isEqualTo(".");
	}

	private static Optional<DialogLeg> leg(String listed, String party) {
		JsonNode dialog = KamailioFixtures.JSON.readTree(listed).path("result");
		return DialogLeg.of(dialog, party, UNTIL);
	}

	private static String fixture() {
		return KamailioFixtures.body("dlg.dlg_list-by-callid.json");
	}

}
