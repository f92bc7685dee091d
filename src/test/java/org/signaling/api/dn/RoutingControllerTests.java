package org.signaling.api.dn;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.signaling.api.call.CallState;
import org.signaling.api.testsupport.FeatureControllerTest;
import org.signaling.api.testsupport.FeatureSliceTest;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.signaling.api.testsupport.FeatureTestConfiguration.NOW;

/**
 * The routing lookups as Genesys reads them: always 200 and always the same flat keys (a data action's output
 * contract fails on a missing key, a nested value or an error status), whatever the DN's state or Kamailio's.
 */
@FeatureSliceTest({ RoutingController.class, DnController.class })
class RoutingControllerTests extends FeatureControllerTest {

	/** Every key of every answer, in a Genesys Cloud data action's flat output contract (docs/genesys/). */
	static final Set<String> KEYS = Set.of("dn", "found", "registered", "reachable", "available", "busy", "status",
			"active_call_count", "contact_count", "sip_uri", "target_uri", "reason", "state_age_ms", "retry_after_s",
			"candidates_tried");

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void anIdleRegisteredDnIsRoutableToItsAddress() {
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp");
		clock.advance(Duration.ofMillis(400));

		assertThat(lookup("/api/routing/dn/5001")).isEqualTo(json.readTree("""
				{"dn":"5001","found":true,"registered":true,"reachable":true,"available":true,"busy":false,
				 "status":"available","active_call_count":0,"contact_count":1,"sip_uri":"sip:5001@192.168.210.54",
				 "target_uri":"sip:5001@192.168.210.54","reason":"ok","state_age_ms":400,"retry_after_s":0,
				 "candidates_tried":1}"""));
	}

	@Test
	void aDnWhoseContactsStopAnsweringIsRegisteredButUnreachableAndHasNoTarget() {
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp").answering("5001", false);

		JsonNode answer = lookup("/api/routing/dn/5001");

		assertThat(answer.path("registered").asBoolean()).isTrue();
		assertThat(answer.path("reachable").asBoolean()).isFalse();
		assertThat(answer.path("available").asBoolean()).isFalse();
		assertThat(answer.path("status").asString()).isEqualTo("unreachable");
		assertThat(answer.path("reason").asString()).isEqualTo("unreachable");
		assertThat(answer.path("target_uri").asString()).isEmpty();
		assertThat(answer.path("sip_uri").asString()).isEqualTo("sip:5001@192.168.210.54");
	}

	@Test
	void aBusyDnIsFoundButHasNoTarget() {
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp")
			.call("c1", "5001", "1003", CallState.CONFIRMED, NOW, NOW);

		JsonNode answer = lookup("/api/routing/dn/5001");

		assertThat(answer.path("busy").asBoolean()).isTrue();
		assertThat(answer.path("available").asBoolean()).isFalse();
		assertThat(answer.path("status").asString()).isEqualTo("busy");
		assertThat(answer.path("reason").asString()).isEqualTo("busy");
		assertThat(answer.path("active_call_count").asInt()).isOne();
		assertThat(answer.path("target_uri").asString()).isEmpty();
	}

	@Test
	void aDirectoryDnNotRegisteredAndAnUnknownDnAreAnswersNot404s() {
		JsonNode offline = lookup("/api/routing/dn/5003");
		assertThat(offline.path("found").asBoolean()).isTrue();
		assertThat(offline.path("status").asString()).isEqualTo("offline");
		assertThat(offline.path("reason").asString()).isEqualTo("not_registered");
		assertThat(offline.path("target_uri").asString()).isEmpty();

		JsonNode unknown = lookup("/api/routing/dn/5999");
		assertThat(unknown.path("found").asBoolean()).isFalse();
		assertThat(unknown.path("status").asString()).isEqualTo("unknown");
		assertThat(unknown.path("reason").asString()).isEqualTo("not_found");
		assertThat(unknown.path("sip_uri").asString()).isEqualTo("sip:5999@192.168.210.54");
	}

	@Test
	void kamailioAwayIsAnAnswerWithWhenToAskAgain() {
		kamailio.unreachable();

		JsonNode answer = lookup("/api/routing/dn/5001");

		assertThat(answer.path("found").asBoolean()).isFalse();
		assertThat(answer.path("reason").asString()).isEqualTo("kamailio_unreachable");
		assertThat(answer.path("retry_after_s").asInt()).isEqualTo(2);
		assertThat(answer.path("candidates_tried").asInt()).isZero();
		assertThat(lookup("/api/routing/select?candidates=5001,5002").path("reason").asString())
			.isEqualTo("kamailio_unreachable");
	}

	@ParameterizedTest
	@ValueSource(strings = { "50 01", "5001@evil", "x%0D%0AAction:%20Originate",
			"12345678901234567890123456789012345678901234567890123456789012345" })
	void aMalformedDnIsStill400(String dn) {
		assertThat(mvc.get().uri("/api/routing/dn/" + dn)).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(mvc.get().uri("/api/routing/select?candidates=5001," + dn)).hasStatus(HttpStatus.BAD_REQUEST);
	}

	@Test
	void firstTakesTheFirstAvailableCandidateInOrder() {
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp")
			.register("5002", "sip:5002@10.1.1.6:5060", "udp")
			.register("5004", "sip:5004@10.1.1.8:5060", "udp")
			.register("5005", "sip:5005@10.1.1.9:5060", "udp")
			.answering("5005", false)
			.call("c1", "5001", "1003", CallState.CONFIRMED, NOW, NOW);

		JsonNode answer = lookup("/api/routing/select?candidates=5003,5005,5001,5002,5004");

		assertThat(answer.path("dn").asString()).as("the unreachable 5005 and the busy 5001 are passed over")
			.isEqualTo("5002");
		assertThat(answer.path("target_uri").asString()).isEqualTo("sip:5002@192.168.210.54");
		assertThat(answer.path("candidates_tried").asInt()).isEqualTo(4);
		assertThat(lookup("/api/routing/select?candidates=5003,5005,5001,5002,5004&strategy=first"))
			.isEqualTo(answer);
	}

	@Test
	void leastBusyTakesTheRegisteredCandidateInTheFewestCalls() {
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp")
			.register("5002", "sip:5002@10.1.1.6:5060", "udp")
			.call("c1", "5001", "1003", CallState.CONFIRMED, NOW, NOW)
			.call("c2", "5002", "1004", CallState.CONFIRMED, NOW, NOW)
			.call("c3", "5002", "1005", CallState.CONFIRMED, NOW, NOW);

		JsonNode answer = lookup("/api/routing/select?candidates=5003,5002,5001&strategy=least_busy");

		assertThat(answer.path("dn").asString()).isEqualTo("5001");
		assertThat(answer.path("reason").asString()).as("the least busy is still busy").isEqualTo("busy");
		assertThat(answer.path("target_uri").asString()).isEmpty();
		assertThat(answer.path("candidates_tried").asInt()).isEqualTo(3);
	}

	@Test
	void randomOnlyEverPicksAnAvailableCandidate() {
		kamailio.register("5001", "sip:5001@10.1.1.5:5060", "udp")
			.register("5002", "sip:5002@10.1.1.6:5060", "udp")
			.register("5004", "sip:5004@10.1.1.8:5060", "udp")
			.call("c1", "5001", "1003", CallState.CONFIRMED, NOW, NOW);

		for (int i = 0; i < 20; i++) {
			JsonNode answer = lookup("/api/routing/select?candidates=5001,5002,5003,5004&strategy=random");
			assertThat(answer.path("dn").asString()).isIn("5002", "5004");
			assertThat(answer.path("reason").asString()).isEqualTo("ok");
		}
	}

	@Test
	void withNoCandidateAvailableTheFirstCandidatesOwnAnswerSaysWhy() {
		JsonNode answer = lookup("/api/routing/select?candidates=5003,5999");

		assertThat(answer.path("dn").asString()).isEqualTo("5003");
		assertThat(answer.path("reason").asString()).isEqualTo("not_registered");
		assertThat(answer.path("target_uri").asString()).isEmpty();
		assertThat(answer.path("candidates_tried").asInt()).isEqualTo(2);
	}

	@Test
	void aSelectionThatIsItselfWrongIs400() {
		assertThat(mvc.get().uri("/api/routing/select")).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.isLenientlyEqualTo("{\"error\":\"Missing required parameter: candidates\"}");
		assertThat(mvc.get().uri("/api/routing/select?candidates=5001&strategy=cheapest"))
			.hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.isLenientlyEqualTo("{\"error\":\"Invalid strategy: expected first, least_busy or random\"}");
		assertThat(mvc.get().uri("/api/routing/select?candidates=5001,,5002")).hasStatus(HttpStatus.BAD_REQUEST);
		String many = String.join(",", Collections.nCopies(21, "5001"));
		assertThat(mvc.get().uri("/api/routing/select?candidates=" + many)).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.isLenientlyEqualTo("{\"error\":\"Invalid candidates: at most 20 DNs\"}");
	}

	@Test
	void theGenesysDataActionToImportDescribesEveryKeyWithItsType() throws Exception {
		JsonNode action = json.readTree(Files.readString(Path.of("docs/genesys/routing-data-action.json")));
		JsonNode output = action.path("contract").path("output").path("successSchema").path("properties");

		assertThat(action.path("config").path("request").path("requestUrlTemplate").asString())
			.endsWith("/api/routing/dn/${input.dn}");
		assertThat(output.propertyNames()).containsExactlyInAnyOrderElementsOf(KEYS);
		for (RecordComponent component : RoutingAnswer.class.getRecordComponents()) {
			// on the field: @JsonProperty cannot target a record component itself
			JsonProperty renamed = RoutingAnswer.class.getDeclaredField(component.getName())
				.getAnnotation(JsonProperty.class);
			String key = (renamed != null) ? renamed.value() : component.getName();
			String type = (component.getType() == boolean.class) ? "boolean"
					: (component.getType() == String.class) ? "string" : "integer";
			assertThat(output.path(key).path("type").asString()).as(key).isEqualTo(type);
		}
	}

	/** A 200 answer holding exactly the contract's keys, each a string, number or boolean. */
	private JsonNode lookup(String uri) {
		var result = mvc.get().uri(uri).exchange();
		assertThat(result).hasStatusOk();
		JsonNode answer = json.readTree(result.getResponse().getContentAsByteArray());
		assertThat(answer.propertyNames()).containsExactlyInAnyOrderElementsOf(KEYS);
		assertThat(answer.values()).allSatisfy((value) -> assertThat(value.isValueNode()).isTrue());
		return answer;
	}

}
