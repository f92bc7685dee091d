package org.signaling.api.kamailio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.signaling.api.shared.ChildSpans;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON-RPC 2.0 over HTTP to Kamailio's jsonrpcs module. Kamailio 5.6 answers faults with a non-2xx status and a
 * JSON body holding the reason, so the body is read whatever the status. Batches are not supported by Kamailio, so
 * every call is one request.
 * <p>
 * With the nodes of a pair ({@code signaling.kamailio.rpc-urls}), a call goes to the node that answered last; one
 * that gets no answer is made again to the next node, and so on once around. A fault or a bad answer is Kamailio's
 * answer and is not tried elsewhere.
 */
class KamailioRpcClient {

	private static final Logger log = LoggerFactory.getLogger(KamailioRpcClient.class);

	private final List<Node> nodes;

	private final JsonMapper jsonMapper;

	private final AtomicLong ids = new AtomicLong();

	/** The node that answered last. */
	private volatile int current;

	private final MeterRegistry meters;

	/** Per method and outcome, looked up once: the registry builds and sorts tags on every lookup. */
	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	private final ChildSpans spans;

	KamailioRpcClient(List<Node> nodes, JsonMapper jsonMapper) {
		this(nodes, jsonMapper, new SimpleMeterRegistry(), ChildSpans.NONE);
	}

	/**
	 * @param meters where {@code signaling.kamailio.rpc{method,outcome}} times every RPC, commands included
	 * @param spans a span per RPC made within a trace (a request's hang-up, a view read it waits for)
	 */
	KamailioRpcClient(List<Node> nodes, JsonMapper jsonMapper, MeterRegistry meters, ChildSpans spans) {
		if (nodes.isEmpty()) {
			throw new IllegalArgumentException("at least one Kamailio node");
		}
		this.nodes = List.copyOf(nodes);
		this.jsonMapper = jsonMapper;
		this.meters = meters;
		this.spans = spans;
		// At 0 from the start for the reads and commands the dashboard and alerts look at.
		for (String method : List.of("ul.dump", "dlg.list", "dlg.end_dlg", "dlg.bridge_dlg")) {
			for (KamailioRpcException.Kind kind : KamailioRpcException.Kind.values()) {
				timer(method, kind.name().toLowerCase(Locale.ROOT));
			}
			timer(method, "ok");
		}
	}

	/** The node that answered last, as shown in logs and health. */
	String currentNode() {
		return nodes.get(current).name();
	}

	/**
	 * Calls a method and returns its {@code result}.
	 * @param params positional parameters; Kamailio ignores names and types matter (numbers stay numbers)
	 * @throws KamailioRpcException for no answer, a fault, or an answer that is not JSON-RPC
	 */
	JsonNode call(String method, Object... params) {
		return callFrom(current, true, method, params);
	}

	/**
	 * A call about one dialog, made to the node that owns it, then (no answer) to the others: the node whose place
	 * in {@code rpc-urls} is the dialog's {@code h_id} modulo the number of nodes, as node i runs with
	 * {@code DLG_H_ID_START=i} and {@code DLG_H_ID_STEP=<nodes>}. Its transactions (a ringing INVITE to cancel) are
	 * there only, and its BYEs leave from the sockets the parties know.
	 */
	JsonNode callOwnerOf(long dialogHId, String method, Object... params) {
		return callFrom((int) Math.floorMod(dialogHId, (long) nodes.size()), false, method, params);
	}

	private JsonNode callFrom(int first, boolean followAnswer, String method, Object... params) {
		long started = System.nanoTime();
		String outcome = "ok";
		Span span = spans.start("kamailio " + method).tag("rpc.system", "jsonrpc").tag("rpc.method", method);
		try (Tracer.SpanInScope scope = spans.open(span)) {
			return callNodes(first, followAnswer, method, params);
		}
		catch (KamailioRpcException ex) {
			outcome = ex.kind().name().toLowerCase(Locale.ROOT);
			span.error(ex);
			throw ex;
		}
		finally {
			timer(method, outcome).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
			span.tag("outcome", outcome).end();
		}
	}

	/** Method names are this service's own (never from a request), so the tag's values are a small, fixed set. */
	private Timer timer(String method, String outcome) {
		return timers.computeIfAbsent(method + " " + outcome, (key) -> Timer.builder("signaling.kamailio.rpc")
			.description("Every JSON-RPC call to Kamailio (view reads and commands), by method and outcome: ok, "
					+ "fault (Kamailio's error), protocol (an unusable answer), unreachable (no answer from any node)")
			.tag("method", method)
			.tag("outcome", outcome)
			.register(meters));
	}

	private JsonNode callNodes(int first, boolean followAnswer, String method, Object... params) {
		byte[] request = jsonMapper
			.writeValueAsBytes(new JsonRpcRequest("2.0", method, List.of(params), ids.incrementAndGet()));
		KamailioRpcException unanswered = null;
		for (int tried = 0; tried < nodes.size(); tried++) {
			int index = (first + tried) % nodes.size();
			byte[] body;
			try {
				body = nodes.get(index)
					.client()
					.post()
					.contentType(MediaType.APPLICATION_JSON)
					.accept(MediaType.APPLICATION_JSON)
					.body(request)
					.exchange((req, response) -> readAll(response.getBody()));
			}
			catch (RestClientException ex) {
				if (unanswered == null) {
					unanswered = KamailioRpcException.unreachable(method, (ex.getCause() != null) ? ex.getCause() : ex);
				}
				continue;
			}
			if (followAnswer && index != current) {
				log.warn("Kamailio RPC goes to {} now: {} did not answer", nodes.get(index).name(),
						nodes.get(current).name());
				current = index;
			}
			return resultOf(method, body);
		}
		throw unanswered;
	}

	private JsonNode resultOf(String method, byte[] body) {
		JsonNode response;
		try {
			// Kamailio copies SIP header bytes into its answers as they came: a From user or Call-ID that is not
			// UTF-8 would make the strict parser refuse the whole ul.dump or dlg.list, and with it every registration
			// and call. Decoded leniently, such bytes become U+FFFD, which the readers then sanitize.
			response = jsonMapper.readTree(new String(body, StandardCharsets.UTF_8));
		}
		catch (JacksonException ex) {
			throw KamailioRpcException.protocol(method, "not JSON");
		}
		if (response == null || !response.isObject()) {
			throw KamailioRpcException.protocol(method, "not a JSON object");
		}
		JsonNode error = response.get("error");
		if (error != null && !error.isNull()) {
			throw KamailioRpcException.fault(method, error.path("code").asInt(0),
					error.path("message").asString("(no message)"));
		}
		JsonNode result = response.get("result");
		if (result == null) {
			throw KamailioRpcException.protocol(method, "neither result nor error");
		}
		return result;
	}

	private static byte[] readAll(InputStream body) throws IOException {
		return (body != null) ? body.readAllBytes() : new byte[0];
	}

	/** One Kamailio node's jsonrpcs endpoint, with its name for logs (its URL without user info). */
	record Node(String name, RestClient client) {
	}

	@JsonInclude(JsonInclude.Include.NON_EMPTY)
	record JsonRpcRequest(String jsonrpc, String method, List<Object> params, long id) {
	}

}
