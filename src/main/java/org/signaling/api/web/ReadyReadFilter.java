package org.signaling.api.web;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.signaling.api.shared.ReadyAnswer;
import org.signaling.api.shared.ReadyRead;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.stereotype.Component;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ValueConstants;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.condition.ProducesRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers a GET of a {@link ReadyRead} endpoint right after the security filters, without Spring MVC's dispatch.
 * <p>
 * Hand-written because Spring has no cheaper dispatch for a handful of endpoints: a warm JFR profile of
 * {@code GET /api/dn/5001} had Spring MVC (the lookup over every mapping, argument resolution, content negotiation,
 * return value handling) at 42% of the request's CPU, more than authentication and the rate limit, for an answer
 * that is ready bytes (bench/README.md). The routes are read from Spring MVC's own mappings at start-up, so the
 * controller stays the one home of each endpoint; what this path does not cover goes to Spring MVC as before: another
 * method, an {@code Accept} the mapping does not produce (406 there, decided by the mapping's own condition), a
 * missing required parameter (400 there). A controller's failure goes to Spring MVC's exception resolvers
 * (ApiExceptionHandler), as it would from the dispatcher, and the request's access log line, metrics and trace carry
 * the route's pattern, as they would from Spring MVC.
 */
@Component
// Last of the filters: after the security filter chain (authentication, rate limits, authorization) and the audit.
@Order(Ordered.LOWEST_PRECEDENCE)
class ReadyReadFilter extends OncePerRequestFilter implements SmartInitializingSingleton {

	private final BeanFactory beans;

	private final JsonMapper json;

	private final Clock clock;

	/** Most specific first, as Spring MVC picks among patterns that match a path. */
	private volatile List<Route> routes = List.of();

	private @Nullable HandlerExceptionResolver exceptionResolver;

	ReadyReadFilter(BeanFactory beans, JsonMapper json, Clock clock) {
		this.beans = beans;
		this.json = json;
		this.clock = clock;
	}

	/**
	 * Reads the routes once every controller is registered with Spring MVC, and lets Spring MVC write a ready answer
	 * the same way when it reaches one (a HEAD). Both here because a feature test slice keeps the filters but not
	 * other web components.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		new ReadyAnswerReturnValueHandler(json, clock).installIn(beans.getBean("requestMappingHandlerAdapter",
				RequestMappingHandlerAdapter.class));
		RequestMappingHandlerMapping mapping = beans.getBean("requestMappingHandlerMapping",
				RequestMappingHandlerMapping.class);
		this.exceptionResolver = beans.getBean(DispatcherServlet.HANDLER_EXCEPTION_RESOLVER_BEAN_NAME,
				HandlerExceptionResolver.class);
		this.routes = routesOf(mapping.getHandlerMethods());
	}

	static List<Route> routesOf(Map<RequestMappingInfo, HandlerMethod> handlers) {
		List<Route> routes = new ArrayList<>();
		for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : handlers.entrySet()) {
			HandlerMethod handler = entry.getValue();
			if (handler.hasMethodAnnotation(ReadyRead.class)) {
				RequestMappingInfo info = entry.getKey();
				requireServable(info, handler);
				HandlerMethod resolved = handler.createWithResolvedBean();
				Method method = BridgeMethodResolver.findBridgedMethod(resolved.getMethod());
				ReflectionUtils.makeAccessible(method);
				List<Binding> bindings = bindingsOf(resolved);
				for (PathPattern pattern : patternsOf(info)) {
					routes.add(new Route(pattern, info.getProducesCondition(), resolved, method, bindings));
				}
			}
		}
		routes.sort(Comparator.comparing(Route::pattern, PathPattern.SPECIFICITY_COMPARATOR));
		requireNoMoreSpecificMapping(routes, handlers);
		return List.copyOf(routes);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"GET".equals(request.getMethod()) || routes.isEmpty();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		PathContainer path = RequestPath.parse(request.getRequestURI(), request.getContextPath())
			.pathWithinApplication();
		for (Route route : routes) {
			PathPattern.PathMatchInfo match = route.pattern().matchAndExtract(path);
			if (match != null) {
				if (!answer(route, match.getUriVariables(), request, response)) {
					chain.doFilter(request, response);
				}
				return;
			}
		}
		chain.doFilter(request, response);
	}

	/** Whether the route answered; false leaves the request to Spring MVC. */
	private boolean answer(Route route, Map<String, String> variables, HttpServletRequest request,
			HttpServletResponse response) throws ServletException, IOException {
		if (!acceptsWhatItProduces(route, request)) {
			return false;
		}
		Object[] arguments = new Object[route.bindings().size()];
		for (int i = 0; i < arguments.length; i++) {
			Binding binding = route.bindings().get(i);
			arguments[i] = binding.valueIn(request, variables);
			if (arguments[i] == null && binding.required()) {
				return false;
			}
		}
		// What Spring MVC records of the route: the access log's url.path, the metrics' and the trace's uri.
		String pattern = route.pattern().getPatternString();
		request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, pattern);
		ServerHttpObservationFilter.findObservationContext(request)
			.ifPresent((context) -> context.setPathPattern(pattern));
		Object answer;
		try {
			answer = route.method().invoke(route.handler().getBean(), arguments);
		}
		catch (InvocationTargetException ex) {
			resolve(request, response, route.handler(), ex.getCause());
			return true;
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException("made accessible at start-up", ex);
		}
		((ReadyAnswer<?>) answer).writeTo(request, response, json, clock);
		return true;
	}

	/** As the dispatcher does: the exception resolvers answer, or the failure goes on to the error page. */
	private void resolve(HttpServletRequest request, HttpServletResponse response, HandlerMethod handler,
			Throwable failure) throws ServletException {
		if (failure instanceof Exception exception && exceptionResolver != null
				&& exceptionResolver.resolveException(request, response, handler, exception) != null) {
			return;
		}
		if (failure instanceof Error error) {
			throw error;
		}
		throw new ServletException("Request processing failed: " + failure, failure);
	}

	/**
	 * The mapping's own {@code produces} condition, as Spring MVC asks it; it keeps the parsed Accept in a request
	 * attribute, which Spring MVC clears after its lookup and so does this.
	 */
	private static boolean acceptsWhatItProduces(Route route, HttpServletRequest request) {
		try {
			return route.produces().getMatchingCondition(request) != null;
		}
		finally {
			ProducesRequestCondition.clearMediaTypesAttribute(request);
		}
	}

	/** A ready read is a plain GET answering JSON: anything its mapping adds would be skipped here. */
	private static void requireServable(RequestMappingInfo info, HandlerMethod handler) {
		Set<MediaType> produces = info.getProducesCondition().getProducibleMediaTypes();
		boolean plain = info.getMethodsCondition().getMethods().equals(Set.of(RequestMethod.GET))
				&& info.getParamsCondition().isEmpty() && info.getHeadersCondition().isEmpty()
				&& info.getConsumesCondition().isEmpty() && info.getCustomCondition() == null
				&& (produces.isEmpty() || produces.equals(Set.of(MediaType.APPLICATION_JSON)))
				&& ReadyAnswer.class.equals(handler.getReturnType().getParameterType());
		if (!plain) {
			throw new IllegalStateException("@ReadyRead " + handler.getShortLogMessage()
					+ " must be a GET producing application/json, with no other condition, returning ReadyAnswer");
		}
	}

	private static Set<PathPattern> patternsOf(RequestMappingInfo info) {
		if (info.getPathPatternsCondition() == null) {
			throw new IllegalStateException("ready reads need Spring MVC's PathPatternParser (the default)");
		}
		return info.getPathPatternsCondition().getPatterns();
	}

	private static List<Binding> bindingsOf(HandlerMethod handler) {
		List<Binding> bindings = new ArrayList<>();
		for (MethodParameter parameter : handler.getMethodParameters()) {
			parameter.initParameterNameDiscovery(new DefaultParameterNameDiscoverer());
			PathVariable variable = parameter.getParameterAnnotation(PathVariable.class);
			RequestParam requestParameter = parameter.getParameterAnnotation(RequestParam.class);
			boolean defaulted = requestParameter != null
					&& !ValueConstants.DEFAULT_NONE.equals(requestParameter.defaultValue());
			if (parameter.getParameterType() != String.class || (variable == null) == (requestParameter == null)
					|| defaulted) {
				throw new IllegalStateException("@ReadyRead " + handler.getShortLogMessage() + ": parameter "
						+ parameter.getParameterIndex() + " must be a String @PathVariable or @RequestParam without "
						+ "a default");
			}
			String declared = (variable != null) ? firstNonEmpty(variable.name(), variable.value())
					: firstNonEmpty(requestParameter.name(), requestParameter.value());
			String name = declared.isEmpty() ? parameter.getParameterName() : declared;
			if (name == null) {
				throw new IllegalStateException("@ReadyRead " + handler.getShortLogMessage() + ": parameter "
						+ parameter.getParameterIndex() + " needs a name (compile with -parameters)");
			}
			bindings.add(new Binding(name, variable != null,
					(variable != null) ? variable.required() : requestParameter.required()));
		}
		return List.copyOf(bindings);
	}

	private static String firstNonEmpty(String name, String value) {
		return name.isEmpty() ? value : name;
	}

	/**
	 * Fails the start when another GET mapping would win over a ready route for some path (a literal
	 * {@code /api/dn/special} beside a ready {@code /api/dn/{dn}}): this filter would answer it instead. Checked on
	 * each other pattern with its variables filled in, which covers literal and template segments.
	 */
	private static void requireNoMoreSpecificMapping(List<Route> routes, Map<RequestMappingInfo, HandlerMethod> all) {
		for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : all.entrySet()) {
			Set<RequestMethod> methods = entry.getKey().getMethodsCondition().getMethods();
			if (entry.getValue().hasMethodAnnotation(ReadyRead.class)
					|| !(methods.isEmpty() || methods.contains(RequestMethod.GET))) {
				continue;
			}
			for (PathPattern other : patternsOf(entry.getKey())) {
				PathContainer sample = PathContainer.parsePath(other.getPatternString()
					.replaceAll("\\{[^/]*}", "x")
					.replace("**", "x")
					.replace("*", "x"));
				for (Route route : routes) {
					if (route.pattern().matches(sample)
							&& PathPattern.SPECIFICITY_COMPARATOR.compare(other, route.pattern()) < 0) {
						throw new IllegalStateException("GET " + other + " (" + entry.getValue().getShortLogMessage()
								+ ") is more specific than the ready read " + route.pattern()
								+ ", which would answer it first");
					}
				}
			}
		}
	}

	record Route(PathPattern pattern, ProducesRequestCondition produces, HandlerMethod handler, Method method,
			List<Binding> bindings) {
	}

	/** One argument of a ready read: a path variable or a request parameter, by name. */
	record Binding(String name, boolean pathVariable, boolean required) {

		/** A repeated parameter is its values joined by commas, as Spring MVC converts them to one String. */
		@Nullable String valueIn(HttpServletRequest request, Map<String, String> variables) {
			if (pathVariable) {
				return variables.get(name);
			}
			String[] values = request.getParameterValues(name);
			return (values == null) ? null : String.join(",", values);
		}

	}

}
