package org.signaling.api.webhooks;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Webhook subscriptions and their deliveries, {@code /api/webhooks/**} (scope admin, in the filter chain). */
@RestController
@RequestMapping(path = "/api/webhooks", produces = "application/json")
class WebhookController {

	private final WebhookService webhooks;

	WebhookController(WebhookService webhooks) {
		this.webhooks = webhooks;
	}

	@PostMapping(consumes = "application/json")
	ResponseEntity<WebhookResponse> create(@RequestBody CreateWebhookRequest request) {
		WebhookResponse created = webhooks.create(request);
		return ResponseEntity.created(URI.create("/api/webhooks/" + created.id())).body(created);
	}

	@GetMapping
	WebhookListResponse list() {
		return webhooks.list();
	}

	@GetMapping("/{id}")
	WebhookResponse get(@PathVariable String id) {
		return webhooks.get(id);
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable String id) {
		webhooks.delete(id);
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/{id}/rotate-secret")
	WebhookResponse rotateSecret(@PathVariable String id,
			@RequestBody(required = false) @Nullable RotateSecretRequest request) {
		return webhooks.rotateSecret(id, request);
	}

	@PostMapping("/{id}/test")
	ResponseEntity<DeliveryResponse> test(@PathVariable String id) {
		DeliveryResponse queued = webhooks.test(id);
		return ResponseEntity.accepted()
			.location(URI.create("/api/webhooks/" + id + "/deliveries/" + queued.id()))
			.body(queued);
	}

	@GetMapping("/{id}/deliveries")
	DeliveryListResponse deliveries(@PathVariable String id, @RequestParam(required = false) @Nullable String status,
			@RequestParam(required = false) @Nullable String limit) {
		return webhooks.deliveries(id, status, limit);
	}

	@GetMapping("/{id}/deliveries/{deliveryId}")
	DeliveryResponse delivery(@PathVariable String id, @PathVariable String deliveryId) {
		return webhooks.delivery(id, deliveryId);
	}

	@PostMapping("/{id}/deliveries/{deliveryId}/redeliver")
	ResponseEntity<DeliveryResponse> redeliver(@PathVariable String id, @PathVariable String deliveryId) {
		return ResponseEntity.accepted().body(webhooks.redeliver(id, deliveryId));
	}

}
