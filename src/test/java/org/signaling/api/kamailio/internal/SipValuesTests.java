package org.signaling.api.kamailio.internal;

import org.junit.jupiter.api.Test;
import org.signaling.api.call.CallIds;

import static org.assertj.core.api.Assertions.assertThat;

/** What a SIP sender wrote, bounded and sanitized once, as the Kamailio view is read. */
class SipValuesTests {

	@Test
	void harmlessValuesAreKeptAsTheyAre() {
		assertThat(SipValues.callId("a84b4c76e66710@pc33.atlanta.com")).isEqualTo("a84b4c76e66710@pc33.atlanta.com");
		assertThat(SipValues.uri("sip:5001@192.168.210.54;transport=ws"))
			.isEqualTo("sip:5001@192.168.210.54;transport=ws");
		assertThat(SipValues.text("JsSIP 3.13.8 (Günther's PC)")).isEqualTo("JsSIP 3.13.8 (Günther's PC)");
		assertThat(SipValues.dn("5001")).isEqualTo("5001");
	}

	@Test
	void aCallIdClientsCouldNotSendBackBecomesABoundedIdThatTheyCan() {
		String longCallId = "x".repeat(500) + "@pc33";
		String slashes = "referred-28261-3///5d1d1a6802852dab-28064@127.0.0.1";
		String control = "abc\r\nX-Injected: 1\u0000";

		for (String raw : new String[] { longCallId, slashes, control, "\ufffd\ufffd", "" }) {
			assertThat(CallIds.isValid(SipValues.callId(raw))).as(raw).isTrue();
		}
		assertThat(SipValues.callId(slashes)).startsWith("referred-28261-35d1d1a6802852dab-28064@127.0.0.1~");
		// Two Call-IDs that differ only where they were cut or cleaned stay two calls.
		assertThat(SipValues.callId(longCallId)).isNotEqualTo(SipValues.callId("x".repeat(500) + "@pc34"));
		assertThat(SipValues.callId("a/b")).isNotEqualTo(SipValues.callId("a\\b"));
		// A percent would have to be sent encoded in a URL path, which the firewall refuses.
		assertThat(SipValues.callId("pct%41x@pc33")).startsWith("pct41x@pc33~");
	}

	@Test
	void urisAreCutTo256PrintableAsciiCharacters() {
		assertThat(SipValues.uri("sip:" + "9".repeat(10_000) + "@h")).hasSize(SipValues.MAX_TEXT).endsWith("...");
		assertThat(SipValues.uri("sip:a\u0000b\r\nc d\u00e9\ufffd@h")).isEqualTo("sip:a?b??c?d??@h");
	}

	@Test
	void freeTextKeepsLettersButNoControlCharactersOrUnpairedSurrogates() {
		assertThat(SipValues.text("UA\r\nX-Forged: yes\u0085\u2028\ud800")).isEqualTo("UA??X-Forged: yes???");
		assertThat(SipValues.text("é".repeat(1000))).hasSize(SipValues.MAX_TEXT).endsWith("...");
		// A pair is never cut in two.
		String emoji = "\ud83d\ude00".repeat(200);
		String cut = SipValues.text(emoji);
		assertThat(cut).endsWith("...");
		assertThat(cut.substring(0, cut.length() - 3).codePoints().allMatch((codePoint) -> codePoint == 0x1F600))
			.isTrue();
	}

	@Test
	void aUserThatIsNotADnNamesNoDn() {
		assertThat(SipValues.dn("5".repeat(65))).isEmpty();
		assertThat(SipValues.dn("<script>")).isEmpty();
		assertThat(SipValues.dn("")).isEmpty();
		assertThat(SipValues.dn("+4930123456")).isEqualTo("+4930123456");
	}

}
