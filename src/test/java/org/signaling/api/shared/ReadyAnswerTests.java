package org.signaling.api.shared;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ReadyAnswerTests {

	private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

	private final JsonMapper json = JsonMapper.builder().build();

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private final Map<String, Object> large = Map.of("dns", List.of("5001".repeat(100), "5002".repeat(100)));

	private final Observed<ReadyJson<Map<String, Object>>> observed = new Observed<>(ReadyJson.of(large, json),
			NOW.minusMillis(250));

	@Test
	void aClientThatAcceptsGzipGetsTheCompressedFormOfTheSameBytes() throws IOException {
		MockHttpServletResponse response = write(ReadyAnswer.ok(observed), get("Accept-Encoding", "gzip, deflate, br"));

		assertThat(response.getHeader(HttpHeaders.CONTENT_ENCODING)).isEqualTo("gzip");
		byte[] sent = response.getContentAsByteArray();
		assertThat(sent.length).isLessThan(json.writeValueAsBytes(large).length).isEqualTo(response.getContentLength());
		try (GZIPInputStream unzipped = new GZIPInputStream(new ByteArrayInputStream(sent))) {
			assertThat(unzipped.readAllBytes()).isEqualTo(json.writeValueAsBytes(large));
		}
	}

	@Test
	void everyAnswerIsRevalidatedVariesByEncodingAndSaysItsAge() throws IOException {
		MockHttpServletResponse response = write(ReadyAnswer.ok(observed), get());

		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getHeader(HttpHeaders.CACHE_CONTROL)).isEqualTo("no-cache");
		assertThat(response.getHeader(HttpHeaders.VARY)).isEqualTo(HttpHeaders.ACCEPT_ENCODING);
		assertThat(response.getHeader(HttpHeaders.ETAG)).isEqualTo(observed.value().etag());
		assertThat(response.getHeader(Observed.AGE_HEADER)).isEqualTo("250");
		assertThat(response.getHeader(HttpHeaders.CONTENT_ENCODING)).isNull();
		assertThat(response.getContentType()).isEqualTo("application/json");
		assertThat(response.getContentAsByteArray()).isEqualTo(json.writeValueAsBytes(large));
	}

	@Test
	void theClientsCurrentCopyIsA304WithoutBodyThatStillSaysItsAge() throws IOException {
		MockHttpServletResponse response = write(ReadyAnswer.ok(observed),
				get("If-None-Match", "\"other\", " + observed.value().etag()));

		assertThat(response.getStatus()).isEqualTo(304);
		assertThat(response.getContentAsByteArray()).isEmpty();
		assertThat(response.getHeader(HttpHeaders.ETAG)).isEqualTo(observed.value().etag());
		assertThat(response.getHeader(Observed.AGE_HEADER)).isEqualTo("250");
	}

	@Test
	void anotherStatusIsNeverA304() throws IOException {
		MockHttpServletResponse response = write(ReadyAnswer.of(observed, HttpStatus.SERVICE_UNAVAILABLE),
				get("If-None-Match", observed.value().etag()));

		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getContentAsByteArray()).isEqualTo(json.writeValueAsBytes(large));
	}

	@Test
	void aSmallAnswerIsSentAsItIs() throws IOException {
		ReadyJson<Map<String, String>> small = ReadyJson.of(Map.of("dn", "5001"), json);

		MockHttpServletResponse response = write(ReadyAnswer.ok(small), get("Accept-Encoding", "gzip"));

		assertThat(response.getHeader(HttpHeaders.CONTENT_ENCODING)).isNull();
		assertThat(response.getHeader(Observed.AGE_HEADER)).isNull();
		assertThat(response.getContentAsString()).isEqualTo("{\"dn\":\"5001\"}");
	}

	@Test
	void aPerRequestValueIsSerializedWithItsAgeAndNoTag() throws IOException {
		MockHttpServletResponse response = write(ReadyAnswer.perRequest(Map.of("dn", "5001"), 42),
				get("If-None-Match", "*"));

		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentAsString()).isEqualTo("{\"dn\":\"5001\"}");
		assertThat(response.getHeader(Observed.AGE_HEADER)).isEqualTo("42");
		assertThat(response.getHeader(HttpHeaders.ETAG)).isNull();
	}

	private MockHttpServletResponse write(ReadyAnswer<?> answer, MockHttpServletRequest request) throws IOException {
		MockHttpServletResponse response = new MockHttpServletResponse();
		answer.writeTo(request, response, json, clock);
		return response;
	}

	private static MockHttpServletRequest get(String... headers) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/dn/list");
		for (int i = 0; i < headers.length; i += 2) {
			request.addHeader(headers[i], headers[i + 1]);
		}
		return request;
	}

}
