package org.signaling.api.web;

import java.io.IOException;

import org.signaling.api.shared.ReadyJson;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.stereotype.Component;

/**
 * Writes a {@link ReadyJson} as it is: its plain bytes, or its gzip form when the controller set
 * {@code Content-Encoding: gzip}. Spring Boot adds every HttpMessageConverter bean to Spring MVC's converters.
 */
@Component
class ReadyJsonConverter extends AbstractHttpMessageConverter<ReadyJson<?>> {

	ReadyJsonConverter() {
		super(MediaType.APPLICATION_JSON);
	}

	@Override
	protected boolean supports(Class<?> type) {
		return ReadyJson.class.isAssignableFrom(type);
	}

	@Override
	protected boolean canRead(MediaType mediaType) {
		return false;
	}

	@Override
	protected ReadyJson<?> readInternal(Class<? extends ReadyJson<?>> type, HttpInputMessage input) {
		throw new HttpMessageNotReadableException("ready answers are only written", input);
	}

	@Override
	protected Long getContentLength(ReadyJson<?> answer, MediaType contentType) {
		// Set before the body is written: the headers are already final when this is asked.
		return null;
	}

	@Override
	protected void writeInternal(ReadyJson<?> answer, HttpOutputMessage output) throws IOException {
		byte[] bytes = answer.bytesFor(output.getHeaders().getFirst(HttpHeaders.CONTENT_ENCODING));
		output.getHeaders().setContentLength(bytes.length);
		output.getBody().write(bytes);
	}

}
