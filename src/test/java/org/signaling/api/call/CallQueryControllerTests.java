package org.signaling.api.call;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.signaling.api.testsupport.FeatureControllerTest;
import org.signaling.api.testsupport.FeatureSliceTest;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.signaling.api.testsupport.FeatureTestConfiguration.NOW;

@FeatureSliceTest(CallQueryController.class)
class CallQueryControllerTests extends FeatureControllerTest {

	@Test
	void countsActiveCallsWithTheSeedsTypes() {
		kamailio.call("c1", "5001", "1003", CallState.CONFIRMED, NOW, NOW)
			.call("c2", "5002", "5003", CallState.RINGING, NOW, null);

		assertThat(mvc.get().uri("/api/calls/active")).hasStatusOk().bodyJson().isLenientlyEqualTo("""
				{"active_calls":2,"timestamp":"%d",
				 "by_state":{"initiated":0,"trying":0,"ringing":1,"answered":0,"confirmed":1}}"""
				.formatted(NOW.getEpochSecond()));
	}

	@Test
	void listsEveryActiveCallForDashboards() {
		kamailio.call("c1", "5001", "1003", CallState.CONFIRMED, NOW.minusSeconds(5), NOW)
			.call("c2", "5002", "5003", CallState.RINGING, NOW, null);
		clock.advance(Duration.ofSeconds(30));

		assertThat(mvc.get().uri("/api/calls/active")).hasStatusOk().bodyJson().isLenientlyEqualTo("""
				{"active_calls":2,"calls":[
				  {"call_id":"c1","from":"sip:5001@192.168.210.54","to":"sip:1003@192.168.210.54","state":"confirmed",
				   "from_dn":"5001","dns":["1003","5001"],"duration":30,"created_at":%d,"answered_at":%d},
				  {"call_id":"c2","state":"ringing","from_dn":"5002","dns":["5002","5003"],"duration":0,
				   "answered_at":null}]}""".formatted(NOW.minusSeconds(5).getEpochSecond(), NOW.getEpochSecond()));
	}

	@Test
	void noCallsIsZero() {
		assertThat(mvc.get().uri("/api/calls/active")).bodyJson().extractingPath("$.active_calls").isEqualTo(0);
	}

	@Test
	void activeCallsIs503WhenKamailioUnreachable() {
		kamailio.unreachable();

		assertThat(mvc.get().uri("/api/calls/active")).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.bodyJson()
			.isLenientlyEqualTo("{\"error\":\"Kamailio unreachable\"}");
	}

	@Test
	void listsTheCallsOfADnWithLiveDuration() {
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp")
			.call("call-123", "5001", "1003", CallState.CONFIRMED, NOW.minusSeconds(5), NOW);
		clock.advance(Duration.ofSeconds(120));

		assertThat(mvc.get().uri("/api/calls/dn/5001")).hasStatusOk().bodyJson().isLenientlyEqualTo("""
				{"dn":"5001","count":1,"active_calls":[
				  {"call_id":"call-123","from":"sip:5001@192.168.210.54","to":"sip:1003@192.168.210.54",
				   "state":"confirmed","duration":120,"direction":"outbound",
				   "created_at":%d,"answered_at":%d}]}""".formatted(NOW.getEpochSecond() - 5, NOW.getEpochSecond()));
	}

	@Test
	void ringingCallHasNoDurationYet() {
		kamailio.register("5002", "sip:5002@10.1.1.6:5060", "udp")
			.call("c9", "5001", "5002", CallState.RINGING, NOW, null);
		clock.advance(Duration.ofSeconds(7));

		assertThat(mvc.get().uri("/api/calls/dn/5002")).bodyJson().isLenientlyEqualTo("""
				{"active_calls":[{"call_id":"c9","state":"ringing","duration":0,"direction":"inbound",
				                  "answered_at":null}]}""");
	}

	@Test
	void registeredDnWithoutCallsHasAnEmptyList() {
		kamailio.register("7000", "sip:7000@10.1.1.7:5060", "udp");

		assertThat(mvc.get().uri("/api/calls/dn/7000")).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"dn\":\"7000\",\"active_calls\":[],\"count\":0}");
	}

	@Test
	void directoryDnWithoutCallsHasAnEmptyList() {
		assertThat(mvc.get().uri("/api/calls/dn/5004")).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("{\"dn\":\"5004\",\"active_calls\":[],\"count\":0}");
	}

	@Test
	void unknownDnIs404() {
		assertThat(mvc.get().uri("/api/calls/dn/8888")).hasStatus(HttpStatus.NOT_FOUND)
			.bodyJson()
			.isLenientlyEqualTo("{\"error\":\"DN not found: 8888\"}");
	}

	@Test
	void malformedDnIs400() {
		assertThat(mvc.get().uri("/api/calls/dn/50%0A01")).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.extractingPath("$.error")
			.asString()
			.matches("(Invalid DN|Bad request: the URL).*");
	}

	@Test
	void callsOfDnIs503WhenKamailioUnreachable() {
		kamailio.unreachable();

		assertThat(mvc.get().uri("/api/calls/dn/5001")).hasStatus(HttpStatus.SERVICE_UNAVAILABLE);
	}

}
