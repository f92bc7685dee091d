package org.signaling.api.web;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id, taken from the caller's {@code X-Request-Id} when it is a sane token, and puts it in
 * the logging context ({@code request_id}) and the response, so one request can be followed across WWE, a proxy and
 * our logs.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestIdFilter extends OncePerRequestFilter {

	static final String HEADER = "X-Request-Id";

	static final String MDC_KEY = "request_id";

	/** The request attribute the access log prints the request id from. */
	static final String ACCESS_LOG_ATTRIBUTE = "signaling.request_id";

	// A client-chosen id ends up in log lines: nothing that could forge or break one.
	private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String offered = request.getHeader(HEADER);
		String requestId = (offered != null && SAFE.matcher(offered).matches()) ? offered
				: UUID.randomUUID().toString();
		response.setHeader(HEADER, requestId);
		// for Tomcat's access log line (%{signaling.request_id}r)
		request.setAttribute(ACCESS_LOG_ATTRIBUTE, requestId);
		MDC.put(MDC_KEY, requestId);
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove(MDC_KEY);
		}
	}

}
