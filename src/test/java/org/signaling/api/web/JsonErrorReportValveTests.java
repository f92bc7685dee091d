package org.signaling.api.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.catalina.connector.CoyoteAdapter;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.coyote.OutputBuffer;
import org.junit.jupiter.api.Test;
import org.signaling.api.shared.ProblemType;
import org.signaling.api.shared.Problems;

import static org.assertj.core.api.Assertions.assertThat;

/** What Tomcat answers by itself gets the same problem, with the same types, as what Spring answers. */
class JsonErrorReportValveTests {

	@Test
	void aRequestLineOrHeaderTomcatRefusesIsAMalformedRequest() {
		assertThat(report(400)).isEqualTo(Problems.json(Problems.of(ProblemType.MALFORMED_REQUEST, "Bad request")));
	}

	@Test
	void anUnknownTransferCodingIsAMalformedRequestNotA501() {
		assertThat(report(501)).isEqualTo(Problems
			.json(Problems.of(ProblemType.MALFORMED_REQUEST, "Bad request: unsupported Transfer-Encoding")));
	}

	@Test
	void otherStatusesGetTheirCataloguedType() {
		assertThat(report(413))
			.isEqualTo(Problems.json(Problems.of(ProblemType.PAYLOAD_TOO_LARGE, "Request body too large")));
		assertThat(report(404)).isEqualTo(Problems.json(Problems.of(ProblemType.NOT_FOUND, "Not found")));
	}

	/**
	 * The valve's answer to a status Tomcat set, through a bare Tomcat exchange whose bytes are captured. The
	 * protocol-level (coyote) request and response share their simple names with the servlet-level (catalina) ones,
	 * hence their qualified names.
	 */
	private static String report(int status) {
		ByteArrayOutputStream written = new ByteArrayOutputStream();
		org.apache.coyote.Response coyote = new org.apache.coyote.Response();
		coyote.setOutputBuffer(new OutputBuffer() {
			@Override
			public int doWrite(ByteBuffer chunk) throws IOException {
				int length = chunk.remaining();
				byte[] bytes = new byte[length];
				chunk.get(bytes);
				written.write(bytes);
				return length;
			}

			@Override
			public long getBytesWritten() {
				return written.size();
			}
		});
		org.apache.coyote.Request coyoteRequest = new org.apache.coyote.Request();
		coyoteRequest.setResponse(coyote);
		Request request = new Request(null, coyoteRequest);
		// where Tomcat's adapter keeps the request; closing the response closes the request's input too
		coyoteRequest.setNote(CoyoteAdapter.ADAPTER_NOTES, request);
		Response response = new Response(coyote);
		request.setResponse(response);
		response.setRequest(request);
		response.setStatus(status);
		response.setError();
		new JsonErrorReportValve().report(request, response, null);
		return written.toString(StandardCharsets.UTF_8);
	}

}
