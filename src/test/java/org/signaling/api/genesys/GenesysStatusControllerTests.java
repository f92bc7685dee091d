package org.signaling.api.genesys;

import org.junit.jupiter.api.Test;
import org.signaling.api.testsupport.FeatureControllerTest;
import org.signaling.api.testsupport.FeatureSliceTest;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

@FeatureSliceTest(GenesysStatusController.class)
class GenesysStatusControllerTests extends FeatureControllerTest {

	@Test
	void activeWhileGenesysAnswersKamailiosOptionsProbes() {
		kamailio.probe(1, "sip:192.168.210.81:5060", "AP");

		assertThat(mvc.get().uri("/api/genesys/status")).hasStatusOk().bodyJson().isLenientlyEqualTo("""
				{"connected":true,"server":"192.168.210.81:5060","service":"wwe","status":"active",
				 "targets":[{"uri":"sip:192.168.210.81:5060","flags":"AP","state":"active"}]}""");
	}

	@Test
	void unreachableIs503WithTheSameFieldsAndAnError() {
		kamailio.probe(1, "sip:192.168.210.81:5060", "IP");

		assertThat(mvc.get().uri("/api/genesys/status")).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.bodyJson()
			.isLenientlyEqualTo("""
					{"connected":false,"server":"192.168.210.81:5060","service":"wwe","status":"unreachable",
					 "error":"Genesys server unreachable"}""");
	}

	@Test
	void failingProbeBeforeTheInactiveThresholdStillRoutes() {
		kamailio.probe(1, "sip:192.168.210.81:5060", "TP");

		assertThat(mvc.get().uri("/api/genesys/status")).hasStatusOk()
			.bodyJson()
			.isLenientlyEqualTo("{\"connected\":true,\"status\":\"trying\"}");
	}

	@Test
	void noProbeResultYetIsUnknownAnd503() {
		kamailio.probe(1, "sip:192.168.210.81:5060", "AX");

		assertThat(mvc.get().uri("/api/genesys/status")).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.bodyJson()
			.isLenientlyEqualTo(
					"{\"connected\":false,\"status\":\"unknown\",\"error\":\"Genesys server not probed yet\"}");
	}

	@Test
	void administrativelyDisabledIs503() {
		kamailio.probe(1, "sip:192.168.210.81:5060", "DX");

		assertThat(mvc.get().uri("/api/genesys/status")).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.bodyJson()
			.isLenientlyEqualTo("{\"connected\":false,\"status\":\"disabled\"}");
	}

	@Test
	void theConfiguredServerDecidesWhenTheSetHoldsSeveral() {
		kamailio.probe(1, "sip:192.168.210.82:5060", "AP").probe(1, "sip:192.168.210.81;transport=udp", "IP");

		assertThat(mvc.get().uri("/api/genesys/status")).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.bodyJson()
			.extractingPath("$.targets.length()")
			.isEqualTo(2);
	}

	@Test
	void anyActiveTargetCountsWhenNoneIsTheConfiguredServer() {
		kamailio.probe(1, "sip:genesys-a.example.com:5060", "IP").probe(1, "sip:genesys-b.example.com:5060", "AP");

		assertThat(mvc.get().uri("/api/genesys/status")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.status")
			.isEqualTo("active");
	}

	@Test
	void missingDispatcherSetIs503Unknown() {
		kamailio.probe(2, "sip:192.168.210.81:5060", "AP");

		assertThat(mvc.get().uri("/api/genesys/status")).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.bodyJson()
			.isLenientlyEqualTo("""
					{"connected":false,"status":"unknown",
					 "error":"Dispatcher set 1 is not configured in Kamailio"}""");
	}

	@Test
	void kamailioUnreachableIs503WithTheGenesysFields() {
		kamailio.unreachable();

		assertThat(mvc.get().uri("/api/genesys/status")).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.bodyJson()
			.isLenientlyEqualTo("""
					{"connected":false,"server":"192.168.210.81:5060","service":"wwe","status":"unknown",
					 "error":"Kamailio unreachable"}""");
	}

}
