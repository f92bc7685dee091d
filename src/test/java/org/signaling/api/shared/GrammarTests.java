package org.signaling.api.shared;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class GrammarTests {

	@ParameterizedTest
	@ValueSource(strings = { "5001", "agent.5001", "A_b-c", "+4930*1#",
			"1234567890123456789012345678901234567890123456789012345678901234" })
	void theseAreDns(String dn) {
		assertThat(Grammar.isDn(dn)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " 5001", "5001\r\n", "50 01", "5001@host", "\"5001\"", "50;01", "5001é",
			"12345678901234567890123456789012345678901234567890123456789012345" })
	void theseAreNot(String notADn) {
		assertThat(Grammar.isDn(notADn)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "1003", "+15551234567", "*67#", "5001", "agent.5002", "12345678901234567890123456789012" })
	void aDestinationIsANumberOrADnOfAtMost32(String destination) {
		assertThat(Grammar.isDestination(destination)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "123456789012345678901234567890123", "1003@evil", "10 03", "1003;user=phone" })
	void otherwiseItIsNoDestination(String destination) {
		assertThat(Grammar.isDestination(destination)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "+18005550100", "18005550100", "1" })
	void aCallerIdIsDigitsWithAnOptionalPlus(String callerId) {
		assertThat(Grammar.isCallerId(callerId)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "+", "*67", "1800 555", "Anonymous", "123456789012345678901234567890123" })
	void anythingElseIsNoCallerId(String callerId) {
		assertThat(Grammar.isCallerId(callerId)).isFalse();
	}

}
