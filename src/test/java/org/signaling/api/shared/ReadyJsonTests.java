package org.signaling.api.shared;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ReadyJsonTests {

	private final JsonMapper json = JsonMapper.builder().build();

	private final Map<String, Object> large = Map.of("dns", List.of("5001".repeat(100), "5002".repeat(100)));

	@Test
	void theSameContentHasTheSameStrongEtagAndOtherContentAnother() {
		String etag = ReadyJson.of(Map.of("dn", "5001"), json).etag();

		assertThat(ReadyJson.of(Map.of("dn", "5001"), json).etag()).isEqualTo(etag);
		assertThat(ReadyJson.of(Map.of("dn", "5002"), json).etag()).isNotEqualTo(etag);
		assertThat(etag).startsWith("\"").endsWith("\"").doesNotStartWith("W/");
	}

	@Test
	void aClientThatAcceptsGzipGetsTheCompressedFormOfTheSameBytes() throws IOException {
		ReadyJson<Map<String, Object>> ready = ReadyJson.of(large, json);

		ResponseEntity<ReadyJson<Map<String, Object>>> response = ready.toResponse(HttpStatus.OK, "gzip, deflate, br");

		assertThat(response.getHeaders().getFirst(HttpHeaders.CONTENT_ENCODING)).isEqualTo("gzip");
		byte[] sent = ready.bytesFor("gzip");
		assertThat(sent.length).isLessThan(ready.bytesFor(null).length);
		try (GZIPInputStream unzipped = new GZIPInputStream(new ByteArrayInputStream(sent))) {
			assertThat(unzipped.readAllBytes()).isEqualTo(json.writeValueAsBytes(large));
		}
	}

	@Test
	void everyAnswerIsRevalidatedAndVariesByEncoding() {
		ResponseEntity<ReadyJson<Map<String, Object>>> response = ReadyJson.of(large, json)
			.toResponse(HttpStatus.OK, null);

		assertThat(response.getHeaders().getCacheControl()).isEqualTo("no-cache");
		assertThat(response.getHeaders().getVary()).containsExactly(HttpHeaders.ACCEPT_ENCODING);
		assertThat(response.getHeaders().getETag()).isNotBlank();
		assertThat(response.getHeaders().getFirst(HttpHeaders.CONTENT_ENCODING)).isNull();
	}

	@Test
	void aSmallAnswerIsSentAsItIs() {
		ReadyJson<Map<String, String>> small = ReadyJson.of(Map.of("dn", "5001"), json);

		assertThat(small.toResponse(HttpStatus.OK, "gzip").getHeaders().getFirst(HttpHeaders.CONTENT_ENCODING))
			.isNull();
		assertThat(small.bytesFor("gzip")).isEqualTo(small.bytesFor(null));
	}

	@ParameterizedTest
	@ValueSource(strings = { "gzip", "GZIP", "deflate, gzip;q=0.5", "*", "br;q=1.0, x-gzip", "gzip ; q=1" })
	void acceptsGzipWhenNamedOrWildcardWithoutQZero(String header) {
		assertThat(ReadyJson.acceptsGzip(header)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "identity", "deflate, br", "gzip;q=0", "gzip; q=0.000", "*;q=0", "gzipped" })
	void refusesGzipOtherwise(String header) {
		assertThat(ReadyJson.acceptsGzip(header)).isFalse();
	}

}
