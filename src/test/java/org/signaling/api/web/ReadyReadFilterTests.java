package org.signaling.api.web;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.signaling.api.shared.ReadyAnswer;
import org.signaling.api.shared.ReadyRead;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.util.pattern.PathPatternParser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** What the ready read filter refuses to start with: a route it would answer differently from Spring MVC. */
class ReadyReadFilterTests {

	private final Things things = new Things();

	@Test
	void readyRoutesAreTriedMostSpecificFirst() {
		Map<RequestMappingInfo, HandlerMethod> mappings = new LinkedHashMap<>();
		mappings.put(get("/api/things/{id}"), handler("one"));
		mappings.put(get("/api/things/all"), handler("all"));

		assertThat(ReadyReadFilter.routesOf(mappings)).extracting((route) -> route.pattern().getPatternString())
			.containsExactly("/api/things/all", "/api/things/{id}");
	}

	@Test
	void anotherMappingMoreSpecificThanAReadyReadStopsTheStart() {
		Map<RequestMappingInfo, HandlerMethod> mappings = new LinkedHashMap<>();
		mappings.put(get("/api/things/{id}"), handler("one"));
		mappings.put(get("/api/things/special"), handler("notReady"));

		assertThatIllegalStateException().isThrownBy(() -> ReadyReadFilter.routesOf(mappings))
			.withMessageContaining("/api/things/special")
			.withMessageContaining("more specific than the ready read /api/things/{id}");
	}

	@Test
	void aLessSpecificOrAnotherMethodsMappingBesideAReadyReadIsFine() {
		Map<RequestMappingInfo, HandlerMethod> mappings = new LinkedHashMap<>();
		mappings.put(get("/api/things/all"), handler("all"));
		mappings.put(get("/api/things/{id}"), handler("notReady"));
		mappings.put(RequestMappingInfo.paths("/api/things/all")
			.methods(RequestMethod.POST)
			.options(options())
			.build(), handler("notReady"));

		assertThat(ReadyReadFilter.routesOf(mappings)).hasSize(1);
	}

	@Test
	void aReadyReadWithAParameterTheFilterCannotBindStopsTheStart() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ReadyReadFilter.routesOf(Map.of(get("/api/things/{id}"), handler("withHeader"))))
			.withMessageContaining("must be a String @PathVariable or @RequestParam");
	}

	@Test
	void aReadyReadThatIsNotAPlainGetStopsTheStart() {
		RequestMappingInfo withParams = RequestMappingInfo.paths("/api/things/{id}")
			.methods(RequestMethod.GET)
			.params("verbose")
			.options(options())
			.build();

		assertThatIllegalStateException()
			.isThrownBy(() -> ReadyReadFilter.routesOf(Map.of(withParams, handler("one"))))
			.withMessageContaining("must be a GET producing application/json");
	}

	private HandlerMethod handler(String name) {
		Method method = ReflectionUtils.findMethod(Things.class, name, (Class<?>[]) null);
		assertThat(method).as(name).isNotNull();
		return new HandlerMethod(things, method);
	}

	private static RequestMappingInfo get(String path) {
		return RequestMappingInfo.paths(path)
			.methods(RequestMethod.GET)
			.produces("application/json")
			.options(options())
			.build();
	}

	private static RequestMappingInfo.BuilderConfiguration options() {
		RequestMappingInfo.BuilderConfiguration options = new RequestMappingInfo.BuilderConfiguration();
		options.setPatternParser(PathPatternParser.defaultInstance);
		return options;
	}

	static class Things {

		@ReadyRead
		ReadyAnswer<String> one(@PathVariable String id) {
			return ReadyAnswer.perRequest(id, 0);
		}

		@ReadyRead
		ReadyAnswer<String> all() {
			return ReadyAnswer.perRequest("all", 0);
		}

		@ReadyRead
		ReadyAnswer<String> withHeader(@RequestHeader String header) {
			return ReadyAnswer.perRequest(header, 0);
		}

		String notReady() {
			return "";
		}

	}

}
