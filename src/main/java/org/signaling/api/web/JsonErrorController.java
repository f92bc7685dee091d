package org.signaling.api.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.signaling.api.shared.Problems;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors raised outside Spring MVC (in a filter, by the servlet container) land on {@code /error}; they get the same
 * {@code {"error": "..."}} body as everything else instead of Boot's default page, and never a stack trace.
 */
@RestController
class JsonErrorController implements ErrorController {

	@RequestMapping("/error")
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		// No error being rendered: someone asked for /error itself, which is not a resource.
		HttpStatusCode status = HttpStatusCode.valueOf((code instanceof Integer value) ? value : 404);
		if (status.value() < 400) {
			status = HttpStatus.INTERNAL_SERVER_ERROR;
		}
		ProblemDetail problem = Problems.forStatus(status, ErrorMessages.generic(status));
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}
