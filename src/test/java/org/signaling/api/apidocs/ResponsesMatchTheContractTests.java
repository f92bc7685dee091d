package org.signaling.api.apidocs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.signaling.api.call.CallState;
import org.signaling.api.testsupport.AuthenticatedRequests;
import org.signaling.api.testsupport.FakeBackends;
import org.signaling.api.testsupport.FakeSignalingState;
import org.signaling.api.testsupport.MutableClock;
import org.signaling.api.testsupport.TestCredentials;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real responses of the service (its controllers, services, error contract and security; Kamailio and Asterisk
 * replaced by fakes) are valid against the schemas of the committed {@code api/openapi.yaml} for their status, so
 * clients generated from the document can read what the service sends, errors included.
 */
@SpringBootTest(properties = { "signaling.kamailio.rpc-url=http://127.0.0.1:9/RPC",
		"signaling.kamailio.sip-domain=192.168.210.54", "signaling.genesys.server=192.168.210.81:5060",
		"signaling.dn.directory=5001-5005", "signaling.calls.reconcile-interval=1h",
		"signaling.sip-auth.secret=" + TestCredentials.SIP_AUTH_SECRET })
@AutoConfigureMockMvc
@Import({ AuthenticatedRequests.class, FakeBackends.class })
class ResponsesMatchTheContractTests {

	static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

	static final JsonNode CONTRACT = readContract();

	@Autowired
	MockMvcTester mvc;

	@Autowired
	FakeSignalingState kamailio;

	@Autowired
	MutableClock clock;

	final JsonMapper json = JsonMapper.builder().build();

	@BeforeEach
	void setUp() {
		clock.set(NOW);
		kamailio.reset();
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp")
			.register("5002", "sip:5002@10.1.1.6:5060;transport=ws", "ws")
			.call("0ba2c1@10.1.1.5", "5001", "5002", CallState.CONFIRMED, NOW.minusSeconds(120), NOW.minusSeconds(110))
			.probe(1, "sip:192.168.210.81:5060", "AP");
	}

	@Test
	void readsMatchTheirSchemas() {
		conforms(mvc.get().uri("/api/health").exchange(), "get", "/api/health");
		conforms(mvc.get().uri("/api/dn/5001").exchange(), "get", "/api/dn/{dn}");
		conforms(mvc.get().uri("/api/dn/5003").exchange(), "get", "/api/dn/{dn}");
		conforms(mvc.get().uri("/api/dn/list").exchange(), "get", "/api/dn/list");
		conforms(mvc.get().uri("/api/genesys/status").exchange(), "get", "/api/genesys/status");
		conforms(mvc.get().uri("/api/calls/active").exchange(), "get", "/api/calls/active");
		conforms(mvc.get().uri("/api/calls/dn/5001").exchange(), "get", "/api/calls/dn/{dn}");
		conforms(mvc.get().uri("/api/calls/dn/5004").exchange(), "get", "/api/calls/dn/{dn}");
	}

	@Test
	void callControlMatchesItsSchemas() {
		MvcTestResult made = post("/api/call/make", "{\"from\":\"5001\",\"to\":\"1003\",\"auto_answer\":true}");
		conforms(made, "post", "/api/call/make");
		String callId = json.readTree(made.getResponse().getContentAsByteArray()).path("call_id").asString();
		conforms(mvc.get().uri("/api/calls/" + callId).exchange(), "get", "/api/calls/{callId}");
		conforms(post("/api/call/hangup", "{\"call_id\":\"" + callId + "\"}"), "post", "/api/call/hangup");
		conforms(mvc.get().uri("/api/calls/" + callId).exchange(), "get", "/api/calls/{callId}");
		conforms(mvc.get().uri("/api/calls/history?dn=5001").exchange(), "get", "/api/calls/history");
	}

	@Test
	void sipCredentialsMatchTheirSchemas() {
		conforms(post("/api/agent/sip-credentials", "{\"dn\":\"5001\"}"), "post", "/api/agent/sip-credentials");
		conforms(post("/api/agent/sip-credentials", "{}"), "post", "/api/agent/sip-credentials");
		conforms(post("/api/agent/sip-credentials", "{\"dn\":\"9999\"}"), "post", "/api/agent/sip-credentials");
		conforms(mvc.post().uri("/api/agent/sip-credentials").header("X-API-Key", TestCredentials.READER_KEY)
			.contentType(MediaType.APPLICATION_JSON).content("{\"dn\":\"5001\"}").exchange(), "post",
				"/api/agent/sip-credentials");
	}

	@Test
	void webhookManagementMatchesItsSchemas() {
		MvcTestResult created = post("/api/webhooks",
				"{\"url\":\"https://127.0.0.1:9/hook\",\"event_types\":[\"call.ended\"]}");
		conforms(created, "post", "/api/webhooks");
		String id = json.readTree(created.getResponse().getContentAsByteArray()).path("id").asString();
		conforms(mvc.get().uri("/api/webhooks").exchange(), "get", "/api/webhooks");
		conforms(mvc.get().uri("/api/webhooks/" + id).exchange(), "get", "/api/webhooks/{id}");
		conforms(mvc.get().uri("/api/webhooks/" + id + "/deliveries").exchange(), "get",
				"/api/webhooks/{id}/deliveries");
		conforms(post("/api/webhooks/" + id + "/rotate-secret", "{}"), "post", "/api/webhooks/{id}/rotate-secret");
	}

	@Test
	void errorsMatchTheErrorSchemaWithTheirDocumentedStatus() {
		conforms(mvc.get().uri("/api/dn/9999").exchange(), "get", "/api/dn/{dn}");
		conforms(mvc.get().uri("/api/dn/50%2001").exchange(), "get", "/api/dn/{dn}");
		conforms(post("/api/call/make", "{\"to\":\"1003\"}"), "post", "/api/call/make");
		conforms(post("/api/call/make", "{\"from\":\"5009\",\"to\":\"1003\"}"), "post", "/api/call/make");
		conforms(mvc.post().uri("/api/call/make").contentType(MediaType.TEXT_PLAIN).content("from=5001").exchange(),
				"post", "/api/call/make");
		conforms(post("/api/call/hangup", "{\"call_id\":\"call-0\"}"), "post", "/api/call/hangup");
		conforms(mvc.get().uri("/api/calls/active").header("X-API-Key", "sk_wrong").exchange(), "get",
				"/api/calls/active");
		conforms(mvc.get().uri("/api/calls/history?limit=0").exchange(), "get", "/api/calls/history");
		kamailio.unreachable();
		conforms(mvc.get().uri("/api/dn/list").exchange(), "get", "/api/dn/list");
		conforms(mvc.get().uri("/api/genesys/status").exchange(), "get", "/api/genesys/status");
	}

	private MvcTestResult post(String uri, String body) {
		return mvc.post().uri(uri).contentType(MediaType.APPLICATION_JSON).content(body).exchange();
	}

	/** The response's status is documented for the operation, and its body is valid against that schema. */
	private void conforms(MvcTestResult result, String method, String path) {
		String status = Integer.toString(result.getResponse().getStatus());
		JsonNode documented = CONTRACT.path("paths").path(path).path(method).path("responses").path(status);
		assertThat(documented.isMissingNode()).as("%s %s answered %s, which the contract does not document", method,
				path, status)
			.isFalse();
		JsonNode content = documented.path("content");
		byte[] body = result.getResponse().getContentAsByteArray();
		if (content.isMissingNode() || content.isEmpty()) {
			assertThat(body).as("%s %s %s has no body in the contract", method, path, status).isEmpty();
			return;
		}
		JsonNode schema = content.properties().iterator().next().getValue().path("schema");
		List<Error> errors = validator(schema).validate(new String(body, StandardCharsets.UTF_8),
				InputFormat.JSON);
		assertThat(errors).as("%s %s %s: %s", method, path, status, new String(body)).isEmpty();
	}

	/** The operation's schema, with the document's components beside it so that its $refs resolve. */
	private static Schema validator(JsonNode schema) {
		ObjectNode document = JsonMapper.builder().build().createObjectNode();
		document.put("$schema", "https://json-schema.org/draft/2020-12/schema");
		document.setAll((ObjectNode) schema.deepCopy());
		document.set("components", CONTRACT.path("components").deepCopy());
		return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
			.getSchema(document.toString(), InputFormat.JSON);
	}

	private static JsonNode readContract() {
		try {
			return YAMLMapper.builder().build().readTree(Files.readString(Path.of("api/openapi.yaml")));
		}
		catch (IOException ex) {
			throw new IllegalStateException("api/openapi.yaml is missing", ex);
		}
	}

}
