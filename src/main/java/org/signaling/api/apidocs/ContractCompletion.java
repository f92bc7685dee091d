package org.signaling.api.apidocs;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.signaling.api.shared.ProblemType;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * Completes the generated document with what the controllers' signatures do not carry: a summary per operation,
 * every status it answers with and the error body, the headers, the open endpoints, the event stream's format and
 * the webhook deliveries.
 */
class ContractCompletion implements OpenApiCustomizer {

	static final String ERROR_SCHEMA = "Error";

	static final String PROBLEM_JSON = "application/problem+json";

	private final JsonMapper json = JsonMapper.builder().build();

	private final NullabilityFromJSpecify nullability = new NullabilityFromJSpecify();

	@Override
	public void customise(OpenAPI openApi) {
		nullability.customise(openApi);
		openApi.getComponents().addSchemas(ERROR_SCHEMA, errorSchema());
		openApi.getComponents().addHeaders("X-Request-Id", header("The request's id, as in the logs (a client's "
				+ "own X-Request-Id is kept when it is well formed).", new StringSchema()));
		openApi.getComponents().addHeaders("X-State-Age-Ms", header("How old the Kamailio view this answer comes "
				+ "from is, in milliseconds (bounded by signaling.kamailio.max-staleness).", new IntegerSchema()));
		openApi.getComponents().addHeaders(HttpHeaders.ETAG, header("A strong tag of this answer's bytes (a digest: "
				+ "the same content has the same tag on every replica). Send it back in If-None-Match.",
				new StringSchema()));
		openApi.getComponents().addHeaders(HttpHeaders.CACHE_CONTROL, header("`no-cache`: a client may keep the "
				+ "answer but must revalidate it (If-None-Match) before using it again.", new StringSchema()));
		openApi.getComponents().addHeaders("RateLimit-Limit", header("Requests allowed in the current window.",
				new IntegerSchema()));
		openApi.getComponents().addHeaders("RateLimit-Remaining", header("Requests left in the current window.",
				new IntegerSchema()));
		openApi.getComponents().addHeaders("RateLimit-Reset", header("Seconds until the window resets.",
				new IntegerSchema()));
		openApi.getComponents().addHeaders("Retry-After", header("Seconds to wait before retrying (429, 503).",
				new IntegerSchema()));
		openApi.getPaths().forEach(this::complete);
		requireInRequests(openApi);
		Webhooks.describe(openApi);
	}

	private void complete(String path, PathItem item) {
		item.readOperationsMap().forEach((method, operation) -> {
			String key = method.name() + " " + path;
			Endpoints.Documented documented = Endpoints.find(key);
			if (documented == null) {
				return;
			}
			setSuccessStatus(operation, Endpoints.successStatus(key));
			addExamples(operation, key);
			operation.setSummary(documented.summary());
			operation.setDescription(documented.description());
			operation.setTags(List.of(documented.tag()));
			if (documented.open()) {
				operation.setSecurity(List.of());
			}
			addHeaders(operation, documented);
			addErrors(operation, key, documented);
			if (isReady(operation)) {
				addConditionalRequests(operation, documented);
			}
		});
	}

	/**
	 * A ready answer (built once per change) is the one that takes Accept-Encoding: ApiDocsConfiguration adds it to
	 * every {@code @ReadyRead} operation that is conditional.
	 */
	private static boolean isReady(Operation operation) {
		return operation.getParameters() != null && operation.getParameters()
			.stream()
			.anyMatch((parameter) -> "header".equals(parameter.getIn())
					&& HttpHeaders.ACCEPT_ENCODING.equalsIgnoreCase(parameter.getName()));
	}

	/** ETag, If-None-Match → 304, and the gzip form: the same on every ready answer. */
	private static void addConditionalRequests(Operation operation, Endpoints.Documented documented) {
		for (Parameter parameter : operation.getParameters()) {
			if (HttpHeaders.ACCEPT_ENCODING.equalsIgnoreCase(parameter.getName())) {
				parameter.description("`gzip` gets the answer compressed once per change (`Content-Encoding: gzip`).");
			}
		}
		operation.addParametersItem(new HeaderParameter().name(HttpHeaders.IF_NONE_MATCH)
			.required(false)
			.description("The ETag of the copy the client holds: unchanged, the answer is a 304 without body.")
			.schema(new StringSchema()));
		ApiResponse success = operation.getResponses().get("200");
		if (success != null) {
			success.addHeaderObject(HttpHeaders.ETAG, ref(HttpHeaders.ETAG));
			success.addHeaderObject(HttpHeaders.CACHE_CONTROL, ref(HttpHeaders.CACHE_CONTROL));
		}
		ApiResponse notModified = new ApiResponse().description("Not Modified: the copy named by If-None-Match is "
				+ "current; no body")
			.addHeaderObject("X-Request-Id", ref("X-Request-Id"))
			.addHeaderObject(HttpHeaders.ETAG, ref(HttpHeaders.ETAG));
		if (documented.observed()) {
			notModified.addHeaderObject("X-State-Age-Ms", ref("X-State-Age-Ms"));
		}
		operation.getResponses().addApiResponse("304", notModified);
	}

	private static void setSuccessStatus(Operation operation, String status) {
		ApiResponse generated = operation.getResponses().remove("200");
		if (generated != null) {
			if ("204".equals(status)) {
				generated.setContent(null);
			}
			generated.setDescription(HttpStatus.valueOf(Integer.parseInt(status)).getReasonPhrase());
			operation.getResponses().addApiResponse(status, generated);
		}
	}

	private void addExamples(Operation operation, String key) {
		String response = Endpoints.seedExample(key);
		if (response != null) {
			operation.getResponses()
				.values()
				.stream()
				.filter((candidate) -> candidate.getContent() != null)
				.findFirst()
				.ifPresent((success) -> success.getContent()
					.values()
					.forEach((media) -> media.addExamples("seed", new Example().summary("The seed's example")
						.value(json.readValue(response, Object.class)))));
		}
		String request = Endpoints.seedRequestExample(key);
		if (request != null && operation.getRequestBody() != null) {
			operation.getRequestBody()
				.getContent()
				.values()
				.forEach((media) -> media.addExamples("seed",
						new Example().summary("The seed's example").value(json.readValue(request, Object.class))));
		}
	}

	private static void addHeaders(Operation operation, Endpoints.Documented documented) {
		for (ApiResponse response : operation.getResponses().values()) {
			response.addHeaderObject("X-Request-Id", ref("X-Request-Id"));
			if (documented.observed()) {
				response.addHeaderObject("X-State-Age-Ms", ref("X-State-Age-Ms"));
			}
			if (!documented.open()) {
				response.addHeaderObject("RateLimit-Limit", ref("RateLimit-Limit"));
				response.addHeaderObject("RateLimit-Remaining", ref("RateLimit-Remaining"));
				response.addHeaderObject("RateLimit-Reset", ref("RateLimit-Reset"));
			}
		}
	}

	private static void addErrors(Operation operation, String key, Endpoints.Documented documented) {
		ApiResponses responses = operation.getResponses();
		// sorted: the document must be the same on every start (it is compared with api/openapi.yaml)
		Map<String, String> errors = new TreeMap<>(documented.errors());
		if (!documented.open()) {
			errors.putIfAbsent("401", "No credential (`Authentication required: ...`, type `"
					+ ProblemType.AUTHENTICATION_REQUIRED.id() + "`), an invalid API key or an invalid or expired "
					+ "token (`" + ProblemType.INVALID_CREDENTIAL.id() + "`)");
			errors.putIfAbsent("403", "`Forbidden: this credential lacks the scope ...` (`"
					+ ProblemType.FORBIDDEN_SCOPE.id() + "`), an agent token acting for another DN (`"
					+ ProblemType.DN_ACCESS_DENIED.id() + "`), or an origin not allowed (`"
					+ ProblemType.ORIGIN_NOT_ALLOWED.id() + "`)");
			errors.putIfAbsent("429", "Rate limit exceeded: `{\"error\": \"Rate limit exceeded\"}`, type `"
					+ ProblemType.RATE_LIMITED.id() + "`, with Retry-After.");
		}
		errors.forEach((status, description) -> {
			if (responses.containsKey(status)) {
				// a generated error response (springdoc reads the exception handler) gets the documented words
				responses.get(status).setDescription(description);
				return;
			}
			ApiResponse response = new ApiResponse().description(description)
				.content(errorContent(operation, Endpoints.successShapedErrors(key).contains(status)));
			response.addHeaderObject("X-Request-Id", ref("X-Request-Id"));
			if ("429".equals(status)) {
				response.addHeaderObject("Retry-After", ref("Retry-After"));
			}
			responses.addApiResponse(status, response);
		});
	}

	/**
	 * The error body: the Error schema, except where the seed promises the success shape on failure too
	 * ({@link Endpoints#successShapedErrors}: Genesys status's 503, the same fields plus {@code error}).
	 */
	private static Content errorContent(Operation operation, boolean successShaped) {
		if (successShaped) {
			ApiResponse success = operation.getResponses().get("200");
			MediaType successMedia = success.getContent().get("application/json");
			Schema<?> both = new Schema<>().allOf(List.of(new Schema<>().$ref(successMedia.getSchema().get$ref()),
					new Schema<>().addRequiredItem("error").addProperty("error", new StringSchema())));
			return new Content().addMediaType("application/json", new MediaType().schema(both));
		}
		return new Content().addMediaType(PROBLEM_JSON,
				new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + ERROR_SCHEMA)));
	}

	/**
	 * Request members that are nullable in code only so that a missing one gets the seed's "Missing required
	 * parameter" 400 instead of a generic one; for clients they are required and never null.
	 */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static void requireInRequests(OpenAPI openApi) {
		Map<String, List<String>> required = Map.of("MakeCallRequest", List.of("from", "to"), "HangupRequest",
				List.of("call_id"), "CreateWebhookRequest", List.of("url"));
		required.forEach((name, members) -> {
			Schema schema = openApi.getComponents().getSchemas().get(name);
			if (schema == null) {
				return;
			}
			for (String member : members) {
				Schema property = (Schema) schema.getProperties().get(member);
				if (property != null && property.getTypes() != null) {
					property.getTypes().remove("null");
				}
				if (schema.getRequired() == null || !schema.getRequired().contains(member)) {
					schema.addRequiredItem(member);
				}
			}
		});
	}

	/** The seed's error body, which is also an RFC 9457 problem. */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static Schema<?> errorSchema() {
		Schema schema = new Schema<>().type("object")
			.description("Every error: the seed's `{\"error\": \"...\"}`, as an RFC 9457 problem.")
			.addRequiredItem("error")
			.addProperty("error", new StringSchema().description("What went wrong, for people")
				.example("DN not found: 5001"))
			.addProperty("type", new StringSchema().description(problemTypes())
				.example(ProblemType.DN_NOT_FOUND.uri().toString()))
			.addProperty("title", new StringSchema().description("The type's title").example("DN not found"))
			.addProperty("status", new IntegerSchema().example(404))
			.addProperty("detail", new StringSchema().description("The same text as error"));
		schema.setExample(Map.of("error", "DN not found: 5001"));
		return schema;
	}

	/** Every catalogued type, from the catalogue itself, so the document cannot miss one. */
	private static String problemTypes() {
		StringBuilder text = new StringBuilder("What went wrong, for programs: `urn:signaling-api:problem:<id>`, "
				+ "one id per failure a client may want to tell apart. The ids:\n");
		for (ProblemType type : ProblemType.values()) {
			text.append("\n- `").append(type.id()).append("` (").append(type.status().value()).append("): ")
				.append(type.when());
		}
		return text.append("\n\nAny other failure: the name of its status, e.g. `bad-request`, `conflict`.")
			.toString();
	}

	private static Header header(String description, Schema<?> schema) {
		return new Header().description(description).schema(schema);
	}

	private static Header ref(String name) {
		return new Header().$ref("#/components/headers/" + name);
	}

}
