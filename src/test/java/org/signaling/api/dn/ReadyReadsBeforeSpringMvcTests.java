package org.signaling.api.dn;

import org.junit.jupiter.api.Test;
import org.signaling.api.shared.Observed;
import org.signaling.api.testsupport.FeatureControllerTest;
import org.signaling.api.testsupport.FeatureSliceTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DN reads are answered by the ready read filter, before Spring MVC's dispatch (no handler is chosen), with the
 * same answers, errors and headers as through Spring MVC.
 */
@FeatureSliceTest({ DnController.class, RoutingController.class })
class ReadyReadsBeforeSpringMvcTests extends FeatureControllerTest {

	@Test
	void aGetOfAReadyReadIsAnsweredWithoutSpringMvcsDispatch() {
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp");

		for (String uri : new String[] { "/api/dn/5001", "/api/dn/list", "/api/routing/dn/5001",
				"/api/routing/select?candidates=5002,5001" }) {
			MvcTestResult result = mvc.get().uri(uri).exchange();

			assertThat(result).as(uri).hasStatusOk().hasContentType(MediaType.APPLICATION_JSON);
			assertThat(result.getMvcResult().getHandler()).as(uri).isNull();
			assertThat(result.getResponse().getHeader(Observed.AGE_HEADER)).as(uri).isNotNull();
		}
		assertThat(mvc.get().uri("/api/routing/select?candidates=5002,5001")).bodyJson()
			.extractingPath("$.dn")
			.isEqualTo("5001");
		// a repeated parameter is its values joined by commas, as Spring MVC binds it
		assertThat(mvc.get().uri("/api/routing/select?candidates=5002&candidates=5001")).bodyJson()
			.extractingPath("$.candidates_tried")
			.isEqualTo(2);
	}

	@Test
	void aHeadGoesThroughSpringMvcAndGetsTheSameHeaders() {
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp");
		MvcTestResult get = mvc.get().uri("/api/dn/5001").exchange();

		MvcTestResult head = mvc.head().uri("/api/dn/5001").exchange();

		assertThat(head).hasStatusOk().hasHeader(HttpHeaders.ETAG, get.getResponse().getHeader(HttpHeaders.ETAG));
		assertThat(head.getMvcResult().getHandler()).isNotNull();
		assertThat(head.getResponse().getHeader(Observed.AGE_HEADER)).isNotNull();
		assertThat(head).hasHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
	}

	@Test
	void aFailingReadyReadGetsTheApisErrorAnswers() {
		assertThat(mvc.get().uri("/api/dn/9999")).hasStatus(HttpStatus.NOT_FOUND)
			.bodyJson()
			.extractingPath("$.error")
			.isEqualTo("DN not found: 9999");
		assertThat(mvc.get().uri("/api/dn/5001@evil")).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.extractingPath("$.error")
			.asString()
			.startsWith("Invalid DN");
		assertThat(mvc.get().uri("/api/routing/select")).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.extractingPath("$.error")
			.isEqualTo("Missing required parameter: candidates");
	}

	@Test
	void aClientThatTakesNoJsonIsLeftToSpringMvcsContentNegotiation() {
		// As any endpoint that produces JSON only: 406, where the filter would have answered 200.
		assertThat(mvc.get().uri("/api/dn/list").accept(MediaType.TEXT_HTML)).hasStatus(HttpStatus.NOT_ACCEPTABLE);
		assertThat(mvc.get().uri("/api/dn/list").accept(MediaType.APPLICATION_PROBLEM_JSON))
			.hasStatus(HttpStatus.NOT_ACCEPTABLE);
		MvcTestResult admitted = mvc.get().uri("/api/dn/list").accept("text/html, application/*;q=0.5").exchange();
		assertThat(admitted).hasStatusOk();
		assertThat(admitted.getMvcResult().getHandler()).as("answered before Spring MVC").isNull();
	}

}
