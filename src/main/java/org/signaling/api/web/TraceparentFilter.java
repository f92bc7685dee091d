package org.signaling.api.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.signaling.api.shared.ChildSpans;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Returns the request's {@code traceparent} beside {@code X-Request-Id}, so a WWE integrator who sent none can still
 * find the trace. The server observation (Spring's own filter, just before this one) has already read the caller's
 * {@code traceparent} and started the request's span; refusals by the security chain, which runs after, carry it too.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class TraceparentFilter extends OncePerRequestFilter {

	static final String HEADER = "traceparent";

	/** The request attribute the access log prints the trace id from. */
	static final String ACCESS_LOG_ATTRIBUTE = "signaling.trace_id";

	private final ChildSpans spans;

	// Web test slices hold this filter without the tracing beans: no traceparent then.
	TraceparentFilter(ObjectProvider<ChildSpans> spans) {
		this.spans = spans.getIfAvailable(() -> ChildSpans.NONE);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String traceparent = spans.currentTraceparent();
		if (traceparent != null) {
			response.setHeader(HEADER, traceparent);
			// for Tomcat's access log line (%{signaling.trace_id}r)
			request.setAttribute(ACCESS_LOG_ATTRIBUTE, traceparent.substring(3, 35));
		}
		chain.doFilter(request, response);
	}

}
