package org.signaling.api.web;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.signaling.api.shared.ReadyAnswer;
import org.springframework.core.MethodParameter;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a {@link ReadyAnswer} when Spring MVC reaches a ready read (a HEAD, or a test without the filters) exactly as
 * {@link ReadyReadFilter} does for a GET: both hand the response to {@link ReadyAnswer#writeTo}. Put first among
 * Spring MVC's handlers, because {@code @RestController}'s response body handler would otherwise claim the value.
 */
class ReadyAnswerReturnValueHandler implements HandlerMethodReturnValueHandler {

	private final JsonMapper json;

	private final Clock clock;

	ReadyAnswerReturnValueHandler(JsonMapper json, Clock clock) {
		this.json = json;
		this.clock = clock;
	}

	/** Puts this handler first in the adapter's list, once Spring MVC has built it. */
	void installIn(RequestMappingHandlerAdapter adapter) {
		List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>();
		handlers.add(this);
		handlers.addAll(adapter.getReturnValueHandlers());
		adapter.setReturnValueHandlers(handlers);
	}

	@Override
	public boolean supportsReturnType(MethodParameter returnType) {
		return ReadyAnswer.class.isAssignableFrom(returnType.getParameterType());
	}

	@Override
	public void handleReturnValue(@Nullable Object returnValue, MethodParameter returnType,
			ModelAndViewContainer container, NativeWebRequest webRequest) throws Exception {
		container.setRequestHandled(true);
		HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
		HttpServletResponse response = webRequest.getNativeResponse(HttpServletResponse.class);
		if (returnValue == null || request == null || response == null) {
			throw new IllegalStateException("a ready read answers a ReadyAnswer over a servlet response");
		}
		((ReadyAnswer<?>) returnValue).writeTo(request, response, json, clock);
	}

}
