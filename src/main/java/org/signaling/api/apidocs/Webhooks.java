package org.signaling.api.apidocs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.signaling.api.events.EventTypes;

/**
 * The events (the {@code Event} schema, shared by Server-Sent Events and webhooks) and the webhook delivery as an
 * OpenAPI 3.1 {@code webhooks} entry: what a subscriber's endpoint receives and must answer.
 */
final class Webhooks {

	static final String EVENT_SCHEMA = "Event";

	private Webhooks() {
	}

	static void describe(OpenAPI openApi) {
		openApi.getComponents().addSchemas(EVENT_SCHEMA, eventSchema());
		Operation delivery = new Operation().operationId("eventDelivery")
			.summary("An event, delivered to a subscription's URL")
			.description("""
					A JSON POST per event, at least once, in order per subject (DN or call) for each subscriber. \
					Signed as Standard Webhooks (standardwebhooks.com) say: verify `webhook-signature` before \
					trusting the body, with any Standard Webhooks library and the subscription's `whsec_` secret. \
					During a secret rotation two `v1,` values are sent. Refuse timestamps older than 5 minutes. \
					Answer 2xx within the timeout; anything else is retried with exponential backoff and jitter \
					until the retry period ends, then the delivery is dead (`GET /api/webhooks/{id}/deliveries`, \
					redeliver). Deduplicate by `webhook-id`. The `X-Signaling-*` headers are deprecated and will \
					be removed in the next release.""")
			.tags(List.of("webhooks"))
			.requestBody(new RequestBody().required(true)
				.content(new Content().addMediaType("application/json",
						new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + EVENT_SCHEMA)))))
			.responses(new ApiResponses()
				.addApiResponse("2XX", new ApiResponse().description("Received; not delivered again"))
				.addApiResponse("default", new ApiResponse().description("Not received: retried later")));
		delivery.setParameters(new ArrayList<>(List.of(
				header("webhook-id", "The event's id: the same on every attempt (the receiver's de-duplication "
						+ "key)", false),
				header("webhook-timestamp", "Epoch seconds when this attempt was signed", false),
				header("webhook-signature", "`v1,<base64 HMAC-SHA256(key, webhook-id + \".\" + webhook-timestamp "
						+ "+ \".\" + body)>`, the key being the base64 after `whsec_` decoded; space-separated during "
						+ "a rotation", false),
				header("X-Signaling-Event-Id", "Deprecated: `webhook-id`", true),
				header("X-Signaling-Delivery-Id", "Deprecated: this delivery's id", true),
				header("X-Signaling-Timestamp", "Deprecated: `webhook-timestamp`", true),
				header("X-Signaling-Signature", "Deprecated: `v1=<hex HMAC-SHA256(whole secret as UTF-8, timestamp + "
						+ "\".\" + body)>`, comma-separated during a rotation", true))));
		openApi.addWebhooks("event", new PathItem().post(delivery));
	}

	private static HeaderParameter header(String name, String description, boolean deprecated) {
		HeaderParameter parameter = new HeaderParameter();
		parameter.name(name).description(description).required(true).schema(new StringSchema());
		if (deprecated) {
			parameter.deprecated(true);
		}
		return parameter;
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static Schema<?> eventSchema() {
		List<String> types = new ArrayList<>(EventTypes.ALL);
		Schema type = new StringSchema()
			.description("What happened (`reset` only on the event stream, `webhook.test` only in test deliveries)");
		types.add("reset");
		types.add(EventTypes.WEBHOOK_TEST);
		type.setEnum(types);
		Map<String, Object> example = new LinkedHashMap<>();
		example.put("id", "evt-5f0c2c1b8a7d4e0f9a6b3c2d1e0f9a8b");
		example.put("type", "call.ended");
		example.put("occurred_at", "2026-11-26T10:01:07Z");
		example.put("subject_type", "call");
		example.put("subject", "call-6dec0f7a1b2c3d4e5f60718293a4b5c6");
		example.put("sequence", 4);
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("call_id", "call-6dec0f7a1b2c3d4e5f60718293a4b5c6");
		data.put("from", "5001");
		data.put("to", "1003");
		data.put("state", "ended");
		data.put("end_cause", "hangup");
		data.put("duration", 42);
		example.put("data", data);
		Schema schema = new ObjectSchema().description("Something the service observed: a DN, call, Genesys or "
				+ "backend change.")
			.addProperty("id", new StringSchema().description("Unique; resume an event stream from it"))
			.addProperty("type", type)
			.addProperty("occurred_at", new StringSchema().format("date-time"))
			.addProperty("subject_type", new StringSchema()._enum(List.of("dn", "call", "genesys", "backend")))
			.addProperty("subject", new StringSchema().description("The DN, call_id, Genesys server or backend name"))
			.addProperty("sequence", new IntegerSchema().format("int64")
				.description("1, 2, 3... per subject: order and gaps per DN or call"))
			.addProperty("data", new ObjectSchema().description("""
					What a client needs without a second request. Calls: call_id, from, to, from_dn, dns, state, \
					origin, times, dialog_id; call.initiated of a call the API placed adds auto_answer and \
					ring_timeout (seconds); call.ended adds end_cause, hangup_cause, duration; \
					call.hangup_incomplete has call_id, dns and legs (party, released, reason, retrying_until). \
					DNs: dn, status, registered, sip_uri, contact_count, active_call_count."""))
			.addProperty("trace_id", new StringSchema().types(new HashSet<>(List.of("string", "null")))
				.pattern("^[0-9a-f]{32}$")
				.description("The W3C trace id of the API request that caused the event (its `traceparent`); null "
						+ "for changes seen in Kamailio or Asterisk alone"));
		schema.setRequired(List.of("id", "type", "occurred_at", "subject_type", "subject", "sequence", "data"));
		schema.setExample(example);
		return schema;
	}

}
