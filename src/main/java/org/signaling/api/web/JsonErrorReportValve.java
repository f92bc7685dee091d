package org.signaling.api.web;

import java.io.IOException;
import java.io.Writer;

import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.signaling.api.shared.ProblemType;
import org.signaling.api.shared.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Tomcat answers some malformed requests itself, before Spring sees them (an encoded slash or a bad character in
 * the URL, a bad header). This valve gives those the API's {@code {"error": "..."}} body instead of an HTML page.
 */
class JsonErrorReportValve extends ErrorReportValve {

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		ProblemDetail problem;
		if (status == HttpServletResponse.SC_NOT_IMPLEMENTED) {
			// Tomcat's answer to a request with a transfer coding it does not know (Transfer-Encoding: gzip): a
			// client's mistake like any malformed request, not a failure of this service to be alerted on.
			problem = Problems.of(ProblemType.MALFORMED_REQUEST, "Bad request: unsupported Transfer-Encoding");
			response.setStatus(problem.getStatus());
		}
		else if (status == HttpServletResponse.SC_BAD_REQUEST) {
			// what Tomcat refuses itself is the request line or a header
			problem = Problems.of(ProblemType.MALFORMED_REQUEST, ErrorMessages.generic(HttpStatus.BAD_REQUEST));
		}
		else {
			HttpStatusCode code = HttpStatusCode.valueOf(status);
			problem = Problems.forStatus(code, ErrorMessages.generic(code));
		}
		try {
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setCharacterEncoding("UTF-8");
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(Problems.json(problem));
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The client is gone or the response is already committed: nothing left to tell it.
		}
	}

}
