package org.signaling.api.shared;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ReadyJsonTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void theSameContentHasTheSameStrongEtagAndOtherContentAnother() {
		String etag = ReadyJson.of(Map.of("dn", "5001"), json).etag();

		assertThat(ReadyJson.of(Map.of("dn", "5001"), json).etag()).isEqualTo(etag);
		assertThat(ReadyJson.of(Map.of("dn", "5002"), json).etag()).isNotEqualTo(etag);
		assertThat(etag).startsWith("\"").endsWith("\"").doesNotStartWith("W/");
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
