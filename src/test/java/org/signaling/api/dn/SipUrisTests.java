package org.signaling.api.dn;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SipUrisTests {

	private final SipUris uris = new SipUris("192.168.210.54");

	@Test
	void putsABareDnAtTheSipDomain() {
		assertThat(uris.of("5001")).isEqualTo("sip:5001@192.168.210.54");
	}

	@Test
	void keepsTheDomainAnAorAlreadyHas() {
		assertThat(uris.of("5001@example.com")).isEqualTo("sip:5001@example.com");
	}

}
