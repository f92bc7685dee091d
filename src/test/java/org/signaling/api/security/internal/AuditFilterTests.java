package org.signaling.api.security.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which requests are audited, and as what: every call control request has its action in the audit line and in the
 * {@code signaling.audit.events} counter, whose tag must never hold an id (bounded cardinality).
 */
class AuditFilterTests {

	@ParameterizedTest
	@CsvSource({ "POST, /api/call/make, call.make", "POST, /api/call/hangup, call.hangup",
			"POST, /api/agent/sip-credentials, sip.credentials", "POST, /api/calls/call-1/hold, call.hold",
			"POST, /api/calls/call-1/unhold, call.unhold", "POST, /api/calls/call-1/dtmf, call.dtmf",
			"POST, /api/calls/call-1/mute, call.mute", "POST, /api/calls/call-1/recording, call.recording",
			"POST, /api/calls/call-1/transfers, call.transfer", "POST, /api/calls/call-1/monitors, call.monitor",
			"POST, /api/transfers/tr-1/complete, transfer.complete", "DELETE, /api/transfers/tr-1, transfer.cancel",
			"PATCH, /api/monitors/mon-1, monitor.mode", "DELETE, /api/monitors/mon-1, monitor.end" })
	void controlRequestsAreAuditedWithTheirAction(String method, String path, String action) {
		assertThat(AuditFilter.actionOf(new MockHttpServletRequest(method, path))).isEqualTo(action);
	}

	@ParameterizedTest
	@CsvSource({ "GET, /api/calls/call-1", "GET, /api/transfers/tr-1", "POST, /api/transfers/tr-1",
			"POST, /api/calls/call-1/other", "PATCH, /api/transfers/tr-1", "POST, /api/calls/a/b/hold",
			"OPTIONS, /api/calls/call-1/hold", "HEAD, /api/monitors/mon-1" })
	void readsAndUnknownPathsAreNotAuditedAndNeverTagAnId(String method, String path) {
		assertThat(AuditFilter.actionOf(new MockHttpServletRequest(method, path))).isNull();
	}

}
